/* SPDX-License-Identifier: MIT */
/*
 * nats-provision: reconcile declared JetStream streams and consumers
 * against a live nats-server.  This file only hands argv to the kit
 * (cli.h), which dispatches to the subcommands of cmd-common.c's table.
 */
#include "cmd.h"

int
main(int argc, char **argv)
{
	return cli_main(&cmd_tool, argc, argv);
}
