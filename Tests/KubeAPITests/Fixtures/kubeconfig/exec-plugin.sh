#!/bin/sh
# A client-go exec credential plugin for KubeAPITests. What it does is set by variables:
#   PLUGIN_COUNT_FILE   a line is appended for every run
#   PLUGIN_INFO_FILE    receives KUBERNETES_EXEC_INFO as given
#   PLUGIN_ENV_FILE     receives PLUGIN_GREETING, PLUGIN_BASE and the arguments
#   PLUGIN_API_VERSION  the apiVersion answered (default: the one KUBERNETES_EXEC_INFO asks for)
#   PLUGIN_TOKEN        the token (default: fixture-token)
#   PLUGIN_EXPIRY       status.expirationTimestamp, when set
#   PLUGIN_STDERR       what the leak mode writes to stderr
#   PLUGIN_MODE         token (default), slow, cert, half-cert, fail, leak, garbage or hang
set -eu
if [ -n "${PLUGIN_COUNT_FILE:-}" ]; then echo run >> "$PLUGIN_COUNT_FILE"; fi
if [ -n "${PLUGIN_INFO_FILE:-}" ]; then printf '%s' "${KUBERNETES_EXEC_INFO:-}" > "$PLUGIN_INFO_FILE"; fi
if [ -n "${PLUGIN_ENV_FILE:-}" ]; then
    printf 'greeting=%s\nbase=%s\nargs=%s\n' "${PLUGIN_GREETING:-}" "${PLUGIN_BASE:-}" "$*" > "$PLUGIN_ENV_FILE"
fi
# The info's keys are sorted, so apiVersion comes first.
asked=$(printf '%s' "${KUBERNETES_EXEC_INFO:-}" | sed -n 's/^{"apiVersion":"\([^"]*\)".*/\1/p')
version=${PLUGIN_API_VERSION:-$asked}
token=${PLUGIN_TOKEN:-fixture-token}
expiry=""
if [ -n "${PLUGIN_EXPIRY:-}" ]; then expiry=",\"expirationTimestamp\":\"$PLUGIN_EXPIRY\""; fi
certificate='-----BEGIN CERTIFICATE-----\nMIIBfixture\n-----END CERTIFICATE-----\n'
key='-----BEGIN PRIVATE KEY-----\nMIIEfixture\n-----END PRIVATE KEY-----\n'

case "${PLUGIN_MODE:-token}" in
token)
    printf '{"apiVersion":"%s","kind":"ExecCredential","status":{"token":"%s"%s}}\n' "$version" "$token" "$expiry" ;;
slow)
    sleep 0.3
    printf '{"apiVersion":"%s","kind":"ExecCredential","status":{"token":"%s"%s}}\n' "$version" "$token" "$expiry" ;;
cert)
    printf '{"apiVersion":"%s","kind":"ExecCredential","status":{"clientCertificateData":"%s","clientKeyData":"%s"%s}}\n' \
        "$version" "$certificate" "$key" "$expiry" ;;
half-cert)
    printf '{"apiVersion":"%s","kind":"ExecCredential","status":{"clientCertificateData":"%s"}}\n' "$version" "$certificate" ;;
fail)
    # A token on stdout that must never reach an error message.
    printf '{"apiVersion":"%s","kind":"ExecCredential","status":{"token":"%s"}}\n' "$version" "$token"
    echo "error: the identity provider refused the login" >&2
    echo "second line with more detail" >&2
    exit 3 ;;
leak)
    # A token on stdout, and stderr that echoes it and other credentials beside advice.
    printf '{"apiVersion":"%s","kind":"ExecCredential","status":{"token":"%s"}}\n' "$version" "$token"
    printf '%s\n' "${PLUGIN_STDERR:-}" >&2
    exit 1 ;;
garbage)
    echo "token=$token is not JSON" ;;
hang)
    exec sleep 30 ;;
esac
