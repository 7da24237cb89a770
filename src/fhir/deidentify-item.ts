import { ID_TOO_LONG, META_HELD, type Item } from '../core/record.js';
import { fhirIdOrEmpty } from './patient.js';
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
  /** The head's `id` member holds the value of a later one (a duplicate after entry), which the tail then leaves out. */
  tookLaterId?: boolean;
  state?: ResourceState;
  /** The head's `meta` (its place held by META_HELD), given with the tail once the Bundle's security labels are known. */
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
      const { id, members, tookLaterId } = lastId(item.head, item.laterId);
      bundle.id = fhirIdOrEmpty(id);
      bundle.tookLaterId = tookLaterId;
      bundle.state = streamedBundleState(env, bundle.id);
      const head = deidentifyBundleMembers(members, env, bundle.id, bundle.state);
      bundle.meta = head.meta;
      // its place is kept: the writer puts the final meta there when it can
      if (head.meta !== undefined) head.meta = META_HELD;
      else delete head.meta;
      return { ...item, head };
    }
    case 'end': {
      const st = bundle.state ?? streamedBundleState(env, bundle.id ?? '');
      let members = item.tail;
      if (bundle.tookLaterId && Object.hasOwn(members, 'id')) {
        // its value went out with the head, where the first `id` was (as JSON.parse places it)
        members = { ...members };
        delete members.id;
      }
      bundle.tookLaterId = undefined;
      const tail = deidentifyBundleMembers(members, env, bundle.id ?? '', st);
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

/**
 * The id of a streamed Bundle as JSON.parse would keep it (the last top-level
 * `id`, at the place of the first), from the head's and the one read ahead
 * (`laterId`: the last in the whole document, undefined when not read ahead):
 * the id that keys the date shift, the head members to write, and whether the
 * head took a later id's value. A later id too long to be one (ID_TOO_LONG)
 * is not known: the head's, if it is an id, is left out (the tail's comes
 * out where it stands); a head id that is itself no id stays, as it may be
 * the last.
 */
function lastId(head: Json, laterId: unknown): { id: unknown; members: Json; tookLaterId: boolean } {
  const inHead = Object.hasOwn(head, 'id');
  if (laterId === undefined) return { id: inHead ? head.id : undefined, members: head, tookLaterId: false };
  if (laterId === ID_TOO_LONG) {
    if (!inHead || fhirIdOrEmpty(head.id) === '') return { id: undefined, members: head, tookLaterId: false };
    const members = { ...head };
    delete members.id;
    return { id: undefined, members, tookLaterId: false };
  }
  if (!inHead) return { id: laterId, members: head, tookLaterId: false };
  // the last id is the head's own, or a later one's the tail would write again
  return { id: laterId, members: { ...head, id: laterId }, tookLaterId: true };
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
