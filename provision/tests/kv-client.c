/* SPDX-License-Identifier: MIT */
/*
 * kv-client: an independent client of key-value buckets for the
 * integration tests, written against nats.c's own kvStore API (not this
 * suite's JetStream client), so that it proves what any NATS client sees.
 *
 *   kv-client create BUCKET HISTORY TTL_MS   js_CreateKeyValue, as an
 *                                            application would
 *   kv-client putget BUCKET KEY VALUE        kvStore_PutString then
 *                                            kvStore_Get: prints
 *                                            "REVISION VALUE"
 *   kv-client update BUCKET KEY VALUE REV    kvStore_UpdateString with an
 *                                            expected revision: prints the
 *                                            new revision, exit 1 when
 *                                            refused
 *
 * Connects to NATS_URL with NATS_USER / NATS_PASSWORD when set (as
 * ci/with-server exports them).  Exit 0 on success, 1 when the client
 * refused, 2 on usage errors.
 */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <nats/nats.h>

static natsStatus
kv_client_connect(natsConnection **nc, jsCtx **js)
{
	natsOptions	*o = NULL;
	const char	*url = getenv("NATS_URL");
	const char	*user = getenv("NATS_USER");
	const char	*pass = getenv("NATS_PASSWORD");
	natsStatus	 s;

	s = natsOptions_Create(&o);
	if (s == NATS_OK)
		s = natsOptions_SetURL(o, url != NULL ? url :
		    "nats://127.0.0.1:4222");
	if (s == NATS_OK && user != NULL && user[0] != '\0')
		s = natsOptions_SetUserInfo(o, user, pass != NULL ? pass : "");
	if (s == NATS_OK)
		s = natsConnection_Connect(nc, o);
	if (s == NATS_OK)
		s = natsConnection_JetStream(js, *nc, NULL);
	natsOptions_Destroy(o);
	return s;
}

int
main(int argc, char **argv)
{
	natsConnection	*nc = NULL;
	jsCtx		*js = NULL;
	kvStore		*kv = NULL;
	kvEntry		*e = NULL;
	kvConfig	 cfg;
	uint64_t	 rev = 0;
	natsStatus	 s;
	int		 ret = 1;

	if (argc < 3 || (strcmp(argv[1], "create") == 0 && argc != 5) ||
	    (strcmp(argv[1], "putget") == 0 && argc != 5) ||
	    (strcmp(argv[1], "update") == 0 && argc != 6)) {
		fprintf(stderr, "usage: kv-client create BUCKET HISTORY TTL_MS"
		    " | putget BUCKET KEY VALUE | update BUCKET KEY VALUE "
		    "REV\n");
		return 2;
	}
	if ((s = kv_client_connect(&nc, &js)) != NATS_OK)
		goto out;
	if (strcmp(argv[1], "create") == 0) {
		kvConfig_Init(&cfg);
		cfg.Bucket = argv[2];
		cfg.History = (uint8_t)atoi(argv[3]);
		cfg.TTL = atoll(argv[4]) * 1000000LL;
		s = js_CreateKeyValue(&kv, js, &cfg);
	} else if ((s = js_KeyValue(&kv, js, argv[2])) != NATS_OK) {
		goto out;
	} else if (strcmp(argv[1], "putget") == 0) {
		s = kvStore_PutString(&rev, kv, argv[3], argv[4]);
		if (s == NATS_OK)
			s = kvStore_Get(&e, kv, argv[3]);
		if (s == NATS_OK)
			printf("%" PRIu64 " %s\n", kvEntry_Revision(e),
			    kvEntry_ValueString(e));
	} else if (strcmp(argv[1], "update") == 0) {
		s = kvStore_UpdateString(&rev, kv, argv[3], argv[4],
		    strtoull(argv[5], NULL, 10));
		if (s == NATS_OK)
			printf("%" PRIu64 "\n", rev);
	} else {
		fprintf(stderr, "kv-client: unknown command\n");
		ret = 2;
		goto out;
	}
	if (s == NATS_OK)
		ret = 0;
out:
	if (s != NATS_OK && ret != 2)
		fprintf(stderr, "kv-client: %s: %s\n", argv[1],
		    natsStatus_GetText(s));
	kvEntry_Destroy(e);
	kvStore_Destroy(kv);
	jsCtx_Destroy(js);
	natsConnection_Destroy(nc);
	nats_Close();
	return ret;
}
