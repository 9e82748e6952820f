"""Connection set-up with AWS's redshift_connector 2.2.0 (IdpTokenAuthPlugin, a token it is
given): N sessions, each running `select 1` and closed. Prints {"driver_us": [...]}.

usage: python redshift_connector_setup.py PORT CA_FILE TOKEN N
"""
import json
import os
import sys
import time

port, ca_file, token, n = int(sys.argv[1]), sys.argv[2], sys.argv[3], int(sys.argv[4])
os.environ["SSL_CERT_FILE"] = ca_file

import redshift_connector  # noqa: E402  (after SSL_CERT_FILE)

samples = []
for _ in range(n):
    started = time.perf_counter_ns()
    conn = redshift_connector.connect(
        host="127.0.0.1", port=port, database="dev",
        credentials_provider="IdpTokenAuthPlugin", token=token, token_type="SUBJECT_TOKEN",
    )
    conn.autocommit = True
    cursor = conn.cursor()
    cursor.execute("select 1")
    cursor.fetchall()
    conn.close()
    samples.append((time.perf_counter_ns() - started) // 1000)
print(json.dumps({"driver_us": samples}))
