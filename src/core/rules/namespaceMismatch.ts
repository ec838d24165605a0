/**
 * A kustomization `namespace` that differs from the namespace its ApplicationSet deploys the app
 * into: kustomize rewrites every resource to its own namespace, and with CreateNamespace=true
 * Argo CD still creates the destination namespace, which then stays empty.
 */
import { asArray, asRecord, asString } from '../generators/spec';
import { defineRule } from './types';
import { kustomizationIn } from '../yaml/classify';


export const namespaceMismatch = defineRule({
  id: 'namespace-mismatch',
  description: "A kustomization's `namespace` differs from the destination namespace its Application deploys to.",
  defaultSeverity: 'warning',
  run(ctx) {
    for (const app of ctx.model.apps()) {
      if (!app.path || !app.namespace) continue;
      const file = kustomizationIn(ctx.model.tree.files, app.path);
      if (!file) continue;
      const doc = ctx.parsed(file)?.docs[0];
      const ns = asString(asRecord(doc?.value)?.['namespace']);
      if (!doc || ns === undefined || ns === app.namespace) continue;
      const syncOptions = asArray(asRecord(asRecord(asRecord(app.manifest['spec'])?.['syncPolicy']))?.['syncOptions']);
      const creates = syncOptions.includes('CreateNamespace=true') ? ` (and creates it: CreateNamespace=true)` : '';
      ctx.report({
        file,
        range: doc.locate(['namespace']),
        message: `Application ${app.name} (ApplicationSet ${app.appset.name}) deploys to namespace "${app.namespace}"${creates}, but this kustomization moves every resource to "${ns}". If that is intended, suppress this with \`# home-ops-disable-next-line namespace-mismatch\`.`,
      });
    }
  },
});
