#!/bin/sh
# compose.yaml's one-shot "s3-init": makes the lake's bucket with the admin key, then proves that
# the service's key (LAKE_ACCESS_KEY) can write, read, list and delete in that bucket and nothing
# more. Any other answer fails the job, and the TicketMoa services, which wait for it, do not start.
# Plain sh and curl (SigV4), both in the S3 server's own image.
set -eu
: "${S3_ENDPOINT:?}" "${LAKE_BUCKET:?}" "${LAKE_ACCESS_KEY:?}" "${LAKE_SECRET_KEY:?}" "${S3_ADMIN_ACCESS_KEY:?}" "${S3_ADMIN_SECRET_KEY:?}"
ADMIN="$S3_ADMIN_ACCESS_KEY:$S3_ADMIN_SECRET_KEY"
LAKE="$LAKE_ACCESS_KEY:$LAKE_SECRET_KEY"
BODY="$(mktemp)"

fail() {
  echo "s3-init: $*" >&2
  head -c 2000 "$BODY" >&2
  echo >&2
  exit 1
}

# s3 KEY METHOD PATH [BODY]: prints the HTTP status (000 when no answer); the answer goes to $BODY.
# The payload hash is sent as S3 requires it (curl before 8.x does not add it itself).
s3() {
  key=$1 method=$2 path=$3 payload=${4-}
  hash="$(printf '%s' "$payload" | sha256sum | cut -d ' ' -f 1)"
  : >"$BODY"
  case "$method" in
    HEAD) set -- -I ;;
    PUT) set -- -X PUT -H 'Content-Type: text/plain' --data-binary "$payload" ;;
    *) set -- -X "$method" ;;
  esac
  code="$(curl -sS -o "$BODY" -w '%{http_code}' --max-time 30 --aws-sigv4 "aws:amz:${S3_REGION:-us-east-1}:s3" \
    --user "$key" -H "x-amz-content-sha256: $hash" "$@" "$S3_ENDPOINT$path")" || code=000
  echo "$code"
}

expect() {
  want=$1 what=$2 got=$3
  [ "$got" = "$want" ] || fail "$what answered HTTP $got, not $want"
}

case "$(s3 "$ADMIN" HEAD "/$LAKE_BUCKET")" in
  200) echo "s3-init: bucket $LAKE_BUCKET exists" ;;
  404)
    expect 200 "creating bucket $LAKE_BUCKET" "$(s3 "$ADMIN" PUT "/$LAKE_BUCKET")"
    echo "s3-init: bucket $LAKE_BUCKET created"
    ;;
  *) fail "the admin key cannot see bucket $LAKE_BUCKET (is S3_ADMIN_ACCESS_KEY right?)" ;;
esac

probe="s3-init/probe-$(date +%s)-$$"
expect 200 "the lake key writing $probe" "$(s3 "$LAKE" PUT "/$LAKE_BUCKET/$probe" ok)"
expect 200 "the lake key reading $probe" "$(s3 "$LAKE" GET "/$LAKE_BUCKET/$probe")"
[ "$(cat "$BODY")" = ok ] || fail "the lake key read back something else than it wrote"
expect 200 "the lake key listing the bucket" "$(s3 "$LAKE" GET "/$LAKE_BUCKET?list-type=2&prefix=s3-init%2F")"
grep -q "<Key>$probe</Key>" "$BODY" || fail "the lake key's listing does not show $probe"
expect 204 "the lake key deleting $probe" "$(s3 "$LAKE" DELETE "/$LAKE_BUCKET/$probe")"

# The lake key is limited to its bucket (S3_INIT_SCOPE_CHECK=off only for a server without
# per-key permissions, such as the engine tests' stand-in).
if [ "${S3_INIT_SCOPE_CHECK:-on}" != off ]; then
  other="ticketmoa-scope-probe-$(date +%s)"
  status="$(s3 "$LAKE" PUT "/$other")"
  if [ "$status" != 403 ]; then
    s3 "$ADMIN" DELETE "/$other" >/dev/null
    fail "the lake key could create bucket $other (HTTP $status): it must be limited to $LAKE_BUCKET"
  fi
fi
echo "s3-init: the lake key reads, writes, lists and deletes in $LAKE_BUCKET only"
