import type { Item } from '../core/record.js';
import { failed, ok } from '../core/record.js';
import { ErrorCodes, isDeidError, toDeidError } from '../core/errors.js';
import type { FhirEnv } from './env.js';
import { isResourceType, knownResourceType, notAResource } from './r4-types.js';
import { deidentifyBundleEntry, deidentifyBundleMembers, deidentifyResource, streamedBundleState, withBundleLabels } from './deidentify-resource.js';
import type { ResourceState } from './resource-state.js';

type Json = Record<string, unknown>;

/** The Bundle being streamed: its id and the state its members and entries share (date shift, labels). */
export interface BundleState {
  id?: string;
  state?: ResourceState;
  /** The head's `meta`, written with the tail once the Bundle's security labels are known. */
  meta?: unknown;
}

/**
 * The pure core of the FHIR stage: one Item in, one Item out. A record whose
 * de-identification throws becomes a Failed item (its code, never its content).
 * Items of a streamed Bundle (start, entries with `loc.entry`, end) are
 * de-identified as Bundle members and entries.
 */
export function deidentifyItem(item: Item, env: FhirEnv, bundle: BundleState = {}): Item {
  switch (item.kind) {
    case 'failed':
      return item;
    case 'start': {
      const id = Object.hasOwn(item.head, 'id') ? item.head.id : item.laterId;
      bundle.id = typeof id === 'string' ? id : '';
      bundle.state = streamedBundleState(env, bundle.id);
      const head = deidentifyBundleMembers(item.head, env, bundle.id, bundle.state);
      bundle.meta = head.meta;
      delete head.meta;
      return { ...item, head };
    }
    case 'end': {
      const st = bundle.state ?? streamedBundleState(env, bundle.id ?? '');
      const tail = deidentifyBundleMembers(item.tail, env, bundle.id ?? '', st);
      if (tail.meta === undefined && bundle.meta !== undefined) tail.meta = bundle.meta;
      bundle.state = undefined;
      bundle.meta = undefined;
      return { ...item, tail: withBundleLabels(tail, st) };
    }
    case 'ok': {
      const value = item.value as Json;
      const rt = typeof value?.resourceType === 'string' ? value.resourceType : undefined;
      try {
        if (item.loc.entry !== undefined && rt === undefined) {
          // A streamed entry is a record of its own: one whose resource is no
          // resource fails like such an NDJSON line would, never vanishes.
          const bad = entryResourceProblem(value);
          if (bad) return failed(bad, ErrorCodes[bad], item.loc);
          return ok(deidentifyBundleEntry(value, env, bundle.id, bundle.state), item.loc);
        }
        return ok(deidentifyResource(value, env), item.loc);
      } catch (e) {
        const err = toDeidError(e, 'TRANSFORM_FAILED', item.loc);
        const code = isDeidError(e) ? e.code : err.code;
        return failed(code, err.message, item.loc, knownResourceType(item.loc.entry !== undefined ? entryType(value) : rt));
      }
    }
  }
}

/** Why a Bundle entry's `resource` is not an R4 resource, if it is present and is not. */
function entryResourceProblem(entry: Json): 'NOT_AN_OBJECT' | 'NO_RESOURCE_TYPE' | 'UNKNOWN_RESOURCE_TYPE' | undefined {
  const r = entry.resource;
  if (r === undefined || r === null) return undefined;
  return notAResource(r) ?? (isResourceType((r as Json).resourceType as string) ? undefined : 'UNKNOWN_RESOURCE_TYPE');
}

function entryType(entry: Json): string | undefined {
  const r = entry?.resource as Json | undefined;
  return typeof r?.resourceType === 'string' ? r.resourceType : undefined;
}
