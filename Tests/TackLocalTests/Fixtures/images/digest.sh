#!/usr/bin/env bash
# Computes a local image's digest as ImageDigest (Sources/TackLocal/Images/ImageDigest.swift)
# defines it, with find, stat and sha256sum instead of the Swift code, so the tests can check the
# definition is reproducible outside Tack.
#
#   digest.sh IMAGE_DIR     IMAGE_DIR holds manifest.json and rootfs/ (blobs/sha256/<hex> in a store)
set -euo pipefail
export LC_ALL=C  # byte-wise sort, and ${#text} counts bytes

image="${1:?usage: digest.sh IMAGE_DIR}"
{
    printf 'tack-image-v1\n'
    printf 'manifest %d\n' "$(stat -c %s "$image/manifest.json")"
    cat "$image/manifest.json"
    printf '\n'
    cd "$image/rootfs"
    find . -mindepth 1 -printf '%P\0' | sort -z | while IFS= read -r -d '' path; do
        mode=$(printf '%04o' "$((8#$(stat -c %a "$path")))")
        case "$(stat -c %F "$path")" in
            directory)
                printf 'd %s %d:%s\n' "$mode" "${#path}" "$path" ;;
            "regular file" | "regular empty file")
                hash=$(sha256sum < "$path" | cut -d' ' -f1)
                printf 'f %s %d %s %d:%s\n' "$mode" "$(stat -c %s "$path")" "$hash" "${#path}" "$path" ;;
            "symbolic link")
                target=$(readlink "$path")
                printf 'l %s %d:%s %d:%s\n' "$mode" "${#target}" "$target" "${#path}" "$path" ;;
            *)
                echo "error: $path is neither a directory, a file nor a symlink" >&2; exit 1 ;;
        esac
    done
} | sha256sum | sed 's/ .*//; s/^/sha256:/'
