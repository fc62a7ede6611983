#!/usr/bin/env bash
# Sends the signed sample webhooks that ship with the tests to a running bridge (mvn spring-boot:test-run).
#
#   src/test/scripts/send-sample-webhooks.sh                  # every sample except the bad-* ones
#   src/test/scripts/send-sample-webhooks.sh message-text bad-truncated
#
# Environment: BRIDGE_URL (default http://localhost:8080/webhooks/whatsapp),
#              WHATSAPP_APP_SECRET (default dev-app-secret, the local run's secret).
# Ids in the samples carry the token RUN; each run replaces it with a fresh value, so the facts are new every time.
# Re-send with RUN_ID=<the printed id> to watch redeliveries being deduplicated.
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
samples="$here/../resources/webhooks"
url="${BRIDGE_URL:-http://localhost:8080/webhooks/whatsapp}"
secret="${WHATSAPP_APP_SECRET:-dev-app-secret}"
run="${RUN_ID:-$(date +%s%N | sha256sum | cut -c1-12 | tr 'a-f' 'A-F')}"

command -v openssl >/dev/null || { echo "openssl is needed" >&2; exit 2; }
command -v curl >/dev/null || { echo "curl is needed" >&2; exit 2; }

if [ "$#" -gt 0 ]; then
  names=("$@")
else
  names=()
  for f in "$samples"/*.json; do
    name="$(basename "$f" .json)"
    [[ "$name" == bad-* ]] || names+=("$name")
  done
fi

echo "Sending ${#names[@]} sample(s) to $url with run id $run"
body="$(mktemp)"
trap 'rm -f "$body"' EXIT
refused=0
for name in "${names[@]}"; do
  file="$samples/$name.json"
  [ -f "$file" ] || { echo "no sample $name" >&2; exit 2; }
  # byte-exact substitution of the ASCII token, so raw UTF-8 and \uXXXX samples keep every other byte
  RUN_VALUE="$run" perl -pe 's/RUN/$ENV{RUN_VALUE}/g' "$file" > "$body"
  signature="sha256=$(openssl dgst -sha256 -hmac "$secret" -r < "$body" | cut -d' ' -f1)"
  status="$(curl -s -o /dev/null -w '%{http_code}' -X POST "$url" \
    -H 'Content-Type: application/json' -H "X-Hub-Signature-256: $signature" --data-binary @"$body")"
  printf '%-45s %s\n' "$name" "$status"
  [ "$status" = 200 ] || refused=$((refused + 1))
done
# every signed sample must be acknowledged (bad-* ones too: they are stored, then dead-lettered)
if [ "$refused" -gt 0 ]; then
  echo "$refused sample(s) not acknowledged with 200" >&2
  exit 1
fi
