#!/bin/sh
# Creates the Docker secrets docker-compose.yaml mounts, one random value per file, in DIR
# (default: docker/secrets beside this script; compose reads CIVICPULSE_SECRETS_DIR, same default).
#
#   docker/make-secrets.sh [DIR]
#
# Only missing files are created: an existing secret is never replaced (the PostgreSQL password
# is fixed when its volume is first initialised, and data encrypted with the Fernet key needs
# `airflow rotate-fernet-key` to change it). To rotate one, see the header of docker-compose.yaml.
#
# The folder is 0700 (only you, on the host); the files are 0644 so that every container user can
# read its bind mount at /run/secrets/NAME (Airflow runs as AIRFLOW_UID, PostgreSQL and Redis read
# theirs as root before dropping privileges). Values are hex (URL-safe: two go into URLs) or, for
# the Fernet key, 32 bytes in URL-safe base64; files have no trailing newline (readers strip one).
set -eu

dir="${1:-$(dirname -- "$0")/secrets}"
umask 077
mkdir -p -- "$dir"
chmod 700 -- "$dir"

hex() { # N random bytes as 2N hex digits
    head -c "$1" /dev/urandom | od -An -vtx1 | tr -d ' \n'
}

fernet_key() { # what cryptography's Fernet.generate_key() makes
    head -c 32 /dev/urandom | base64 | tr '+/' '-_' | tr -d '\n'
}

secret() { # NAME VALUE
    if [ -e "$dir/$1" ]; then
        echo "kept    $dir/$1"
    else
        printf '%s' "$2" >"$dir/$1"
        chmod 644 -- "$dir/$1"
        echo "created $dir/$1"
    fi
}

secret postgres_password "$(hex 32)"
secret redis_password "$(hex 32)"
secret airflow_fernet_key "$(fernet_key)"
secret airflow_jwt_secret "$(hex 32)"
secret airflow_api_secret_key "$(hex 32)"
secret airflow_admin_password "$(hex 16)"
