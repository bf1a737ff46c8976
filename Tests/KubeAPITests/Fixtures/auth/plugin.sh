#!/bin/sh
# A client-go exec credential plugin for the end-to-end authentication tests (ClientAuth*Tests).
# The kubeconfig's exec env gives PLUGIN_STATE_DIR, a folder the test controls:
#   token            the token to answer (when there is no certificate.pem)
#   certificate.pem  with key.pem: answer clientCertificateData/clientKeyData instead of a token
#   expiry           status.expirationTimestamp (RFC 3339), when the file is not empty
#   fail             when present: print a token, a message on stderr, and exit 3
# and the plugin writes into it:
#   count            a line appended on every run
#   exec-info        KUBERNETES_EXEC_INFO as given
#   environment      PLUGIN_GREETING, PATH and the arguments
set -eu
dir=${PLUGIN_STATE_DIR:?PLUGIN_STATE_DIR is not set}
echo run >> "$dir/count"
printf '%s' "${KUBERNETES_EXEC_INFO:-}" > "$dir/exec-info"
printf 'greeting=%s\npath=%s\nargs=%s\n' "${PLUGIN_GREETING:-}" "${PATH:-}" "$*" > "$dir/environment"

version=client.authentication.k8s.io/v1
expiry=""
if [ -s "$dir/expiry" ]; then expiry=$(printf ',"expirationTimestamp":"%s"' "$(cat "$dir/expiry")"); fi

# A PEM file as a JSON string body: each line followed by \n.
json_lines() { awk '{ printf "%s\\n", $0 }' "$1"; }

if [ -e "$dir/fail" ]; then
    printf '{"apiVersion":"%s","kind":"ExecCredential","status":{"token":"%s"}}\n' "$version" "$(cat "$dir/token")"
    echo "error: the identity provider refused the login" >&2
    exit 3
fi
if [ -s "$dir/certificate.pem" ]; then
    printf '{"apiVersion":"%s","kind":"ExecCredential","status":{"clientCertificateData":"%s","clientKeyData":"%s"%s}}\n' \
        "$version" "$(json_lines "$dir/certificate.pem")" "$(json_lines "$dir/key.pem")" "$expiry"
else
    printf '{"apiVersion":"%s","kind":"ExecCredential","status":{"token":"%s"%s}}\n' "$version" "$(cat "$dir/token")" "$expiry"
fi
