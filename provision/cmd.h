/* SPDX-License-Identifier: MIT */
/*
 * cmd: the nats-provision subcommand table and the helpers the subcommand
 * files share (argument parsing, loading specs, connecting, printing).
 *
 * Each subcommand lives in cmd-NAME.c and exports one struct cli_cmd
 * (the kit both tools share, cli.h); provision-main.c lists them.  Subcommands return the process exit code;
 * they and provision-main.c are the only places that print.
 */
#ifndef CMD_H
#define CMD_H

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

#include <cjson/cJSON.h>

#include "cli.h"
#include "conn.h"
#include "diag.h"
#include "jsapi.h"
#include "spec.h"

/* Exit codes, the same for every command and both tools (cli.h). */
enum {
	CMD_EXIT_OK = CLI_EXIT_OK,		/* ok / in sync */
	CMD_EXIT_DRIFT = CLI_EXIT_FAIL,		/* drift, or a change failed */
	CMD_EXIT_USAGE = CLI_EXIT_USAGE,	/* usage or invalid spec */
	CMD_EXIT_CONNECT = CLI_EXIT_CONNECT,	/* cannot connect */
	CMD_EXIT_BLOCKED = CLI_EXIT_BLOCKED,	/* apply refused: a change is
						   blocked, would delete data,
						   or the prune was declined */
	CMD_EXIT_SERVER = CLI_EXIT_SERVER,	/* no answer in time, or a
						   reply that cannot be used */
	CMD_EXIT_PENDING = CLI_EXIT_PENDING,	/* plan --detailed-exitcode:
						   changes pending */
};

/* The options of nats-provision: bits of cli_cmd.flags (cli.h). */
#define CMD_F_JSON	0x01	/* --json */
#define CMD_F_PRUNE	0x02	/* --prune */
#define CMD_F_JUNIT	0x04	/* --junit FILE */
#define CMD_F_STREAM	0x08	/* --stream NAME (repeatable) */
#define CMD_F_APPLY	0x40	/* --allow-data-loss, --yes */
#define CMD_F_PLANOUT	0x80	/* --out FILE, --detailed-exitcode */
#define CMD_F_PATHS	CLI_F_PATHS	/* takes PATH... (at least one) */
#define CMD_F_CONNECT	CLI_F_CONNECT	/* takes the connection flags */

/* The exit codes every nats-provision command's --help lists. */
#define CMD_EXITS	(CLI_EXITS_COMMON | CLI_EXITS_BIT(CLI_EXIT_BLOCKED))

extern const struct cli_tool cmd_tool;	/* nats-provision */

extern const struct cli_cmd cmd_validate_entry;
extern const struct cli_cmd cmd_plan_entry;
extern const struct cli_cmd cmd_apply_entry;
extern const struct cli_cmd cmd_check_entry;
extern const struct cli_cmd cmd_export_entry;
extern const struct cli_cmd cmd_status_entry;

struct cmd_args {
	struct conn_opts	  conn;
	bool			  json;
	bool			  prune;
	bool			  allow_data_loss;
	bool			  yes;		/* prune without asking */
	bool			  detailed;	/* --detailed-exitcode */
	const char		 *out;		/* plan --out FILE */
	const char		 *junit;
	char			**streams;	/* --stream values (argv) */
	size_t			  nstreams;
	char			**paths;	/* positional (argv) */
	size_t			  npaths;
};

/*
 * Parse argv for e (cli_args()).  Returns -1 to go on, or an exit code: 0
 * after --help (usage on stdout), CMD_EXIT_USAGE after a misuse (reason
 * and usage on stderr).  Free with cmd_common_args_free() in both cases.
 */
int	cmd_common_args(const struct cli_cmd *e, int argc, char **argv,
	    struct cmd_args *ret);
void	cmd_common_args_free(struct cmd_args *a);

/*
 * Load and validate a.paths (cli_load()).  Returns CMD_EXIT_OK and
 * *ret_set, or CMD_EXIT_USAGE.
 */
int	cmd_common_load(const struct cmd_args *a, struct spec_set **ret_set);

/*
 * Connect with a.conn to a server with JetStream (cli_connect()).
 * Returns CMD_EXIT_OK and *ret_api, or the exit code.
 */
int	cmd_common_connect(struct cmd_args *a, struct jsapi **ret_api);

/* The exit code for a library error code. */
int	cmd_common_exit_code(int r);

/* Print "nats-provision: what: message" for a diag (with location). */
void	cmd_common_error(const char *what, const struct diag *d);

/*
 * s (a name from the server, say) for a message, as diag_quote() shows it:
 * at most CMD_QUOTE_MAX bytes, control characters as \xNN.  buf holds
 * CMD_QUOTE_LEN bytes; returns buf.
 */
#define CMD_QUOTE_MAX	256
#define CMD_QUOTE_LEN	DIAG_QUOTE_BUF(CMD_QUOTE_MAX)
const char *cmd_common_quote(const char *s, char *buf);

/* The server URL with credentials redacted, for messages (static buf). */
const char *cmd_common_url(const struct cmd_args *a);

/*
 * Format a config value for people: sizes and durations with units when
 * key names such a field, JSON otherwise.  Returns buf.
 */
const char *cmd_common_value(bool consumer, const char *key,
	    const cJSON *v, char *buf, size_t len);

/*
 * Read the live state and build the plan for set, printing why not.
 * Returns CMD_EXIT_OK with *ret_live and *ret_plan, or an exit code.
 */
struct live;
struct plan;
int	cmd_common_plan(struct cmd_args *a, struct jsapi *api,
	    const struct spec_set *set, struct live **ret_live,
	    struct plan **ret_plan);

/* What plan, apply and check all start from. */
struct cmd_session {
	struct cmd_args	 a;
	struct spec_set	*set;
	struct jsapi	*api;
	struct live	*live;
	struct plan	*plan;
};

/*
 * Parse argv, load and validate the specs, connect, read the server and
 * build the plan, printing why not at each step.  Returns -1 with every
 * member filled, or the exit code to return.  Release with
 * cmd_common_close() in both cases.
 */
int	cmd_common_open(const struct cli_cmd *e, int argc, char **argv,
	    struct cmd_session *ret);
/* cmd_common_open() after the arguments: s->a is parsed. */
int	cmd_common_session(struct cmd_session *s);
void	cmd_common_close(struct cmd_session *s);

/*
 * A saved plan file (plan --out): {"nats_provision_plan": 1,
 * "server": {"id", "name", "version"}, "fingerprint": {...}
 * (plan_fingerprint), "plan": {...} (plan_to_json)}.
 */
#define CMD_PLAN_FORMAT		"nats_provision_plan"
#define CMD_PLAN_FILE_MAX	(64 * 1024 * 1024)

/* Print a plan for people (Terraform-like) to f. */
void	cmd_common_print_plan(const struct plan *p, const struct live *live,
	    FILE *f);

#endif
