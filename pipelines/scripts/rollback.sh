#!/usr/bin/env bash
# After a failed deployment or smoke test: puts all traffic of each function back on the revision that served
# before the run (previous-revisions.env, written by deploy.sh). The deployer has already done so for a failed
# canary; this also covers a smoke test that failed after promotion.
set -euo pipefail

cd "$(dirname "$0")/../.."
while IFS='=' read -r service revision; do
  if [ -n "$revision" ]; then
    kubectl patch ksvc "$service" --namespace clinical --type merge \
      -p "{\"spec\":{\"traffic\":[{\"revisionName\":\"$revision\",\"percent\":100}]}}"
    echo "rolled back: $service -> $revision"
  fi
done < previous-revisions.env
