#!/bin/bash
# The journal lives outside the app bundle so redeploys keep it; only the web app user may read it.
set -euo pipefail
install -d -m 0700 -o webapp -g webapp /var/app/data
