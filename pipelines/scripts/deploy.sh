#!/usr/bin/env bash
# Deploys one AKS overlay with the images this run pushed: pins them by digest, renders the overlay, records the
# revisions serving now (for rollback.sh), and hands the rendered objects to the deployer, which applies them,
# waits for Ready and moves each changed function's traffic 10 -> 50 -> 100 % with a smoke check per step.
# Usage: pipelines/scripts/deploy.sh <overlay: aks-dev|aks-prod> <images.env: function=registry/function@sha256:...>
# Needs: a kubeconfig for the cluster (az aks get-credentials + kubelogin), kustomize, kubectl, Java 21, and
# REGISTRY (e.g. clinicalfunctionsacr.azurecr.io).
set -euo pipefail

overlay="$1"
images_env="$2"
cd "$(dirname "$0")/../.."

images=()
while IFS='=' read -r function image; do
  images+=("$REGISTRY/$function=$image")
done < "$images_env"
(cd "knative/overlays/$overlay" && kustomize edit set image "${images[@]}")
kubectl kustomize "knative/overlays/$overlay" > rendered.yaml

kubectl get ksvc --namespace clinical --ignore-not-found \
  -o jsonpath='{range .items[*]}{.metadata.name}={.status.latestReadyRevisionName}{"\n"}{end}' \
  > previous-revisions.env

./mvnw -B -ntp -q -pl knative/deployer -am -DskipTests package
java -jar knative/deployer/target/deployer-*-exec.jar deploy --manifests rendered.yaml \
  --ready-timeout PT10M --steps 10,50,100 --bake "${BAKE:-PT2M}"
