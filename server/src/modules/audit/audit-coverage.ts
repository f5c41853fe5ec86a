import type { ServerDeps } from '../../deps.ts';
import type { AnyRouteSpec } from '../../platform/http/route.ts';
import { requestStore } from '../../platform/http/request-store.ts';
import { staffOf } from '../auth/principal.ts';
import { auditService } from './audit.service.ts';

/**
 * Every staff action that changes data lands in the audit log. Services write
 * detailed entries; this wrapper guarantees that a mutating staff route whose
 * service wrote none still leaves a record of who called what, on which object.
 */
export function withAuditCoverage(deps: ServerDeps, specs: AnyRouteSpec[]): AnyRouteSpec[] {
  const audit = auditService(deps.db);
  return specs.map((spec) => {
    if (spec.auth !== 'staff' || spec.method === 'get') return spec;
    return {
      ...spec,
      handler: (input) =>
        requestStore.run({ audited: false }, async () => {
          const result = await spec.handler(input);
          if (!requestStore.getStore()?.audited) {
            const params = (input.params ?? {}) as Record<string, unknown>;
            await audit.append(staffOf(input.ctx), {
              action: `${spec.method.toUpperCase()} ${spec.path}`,
              objectType: spec.tags[0] ?? 'unknown',
              objectId: typeof params.id === 'string' ? params.id : null,
            });
          }
          return result;
        }),
    };
  });
}
