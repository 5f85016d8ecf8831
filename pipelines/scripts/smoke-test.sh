#!/usr/bin/env bash
# After a deployment: every public function (a Knative Service without the cluster-local label) answers its
# readiness probe over HTTPS at the URL Knative reports. Cluster-local functions were gated by Ready.
set -euo pipefail

urls="$(kubectl get ksvc --namespace clinical \
  -l 'networking.knative.dev/visibility!=cluster-local' -o jsonpath='{range .items[*]}{.status.url}{"\n"}{end}')"
for url in $urls; do
  curl --fail --silent --show-error --retry 5 --retry-all-errors --max-time 10 \
    "$url/readyz" > /dev/null
  echo "ready: $url"
done
