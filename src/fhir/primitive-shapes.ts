import { isResourceType } from './r4-types.js';

/**
 * The shape a value must have where FHIR R4 fixes its syntax beyond the JSON
 * type (https://hl7.org/fhir/R4/datatypes.html) or binds it to an external
 * code system we cannot list (the value sets r4-required-codes.json leaves
 * unexpanded): a value of another shape is no value of that element but text
 * typed in its place, which BASIC removes as it removes a code outside its
 * required value set.
 */
const ID = /^[A-Za-z0-9\-.]{1,64}$/;
const TIME = /^([01][0-9]|2[0-3]):[0-5][0-9]:([0-5][0-9]|60)(\.[0-9]{1,9})?$/;
const OID = /^urn:oid:[0-2](\.(0|[1-9][0-9]*))+$/;
const UUID = /^urn:uuid:[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$/;
/** ISO 4217 (Money.currency, required binding to `currencies`). */
const CURRENCY = /^[A-Z]{3}$/;
/** BCP 13 media types (RFC 6838 §4.2 names, RFC 9110 parameters): the `mimetypes` value set. */
const TOKEN = "[A-Za-z0-9!#$&^_.+-]";
const MIME = new RegExp(`^${TOKEN}{1,127}/${TOKEN}{1,127}(\\s*;\\s*${TOKEN}+=(${TOKEN}+|"[^"\\\\]*"))*$`);
/** BCP 47 (RFC 5646 §2.1): a 2-3 letter language (or `x`/`i` private and grandfathered tags), then subtags. */
const LANGUAGE = /^([A-Za-z]{2,3}|[xXiI])(-[A-Za-z0-9]{1,8})*$/;

/** `code` elements whose value is a media type, by name, then owner. */
const MIME_CODES = new Map<string, ReadonlySet<string>>([
  ['contentType', new Set(['Attachment', 'Binary'])],
  ['payloadMimeType', new Set(['Endpoint'])],
  ['sigFormat', new Set(['Signature'])],
  ['targetFormat', new Set(['Signature'])],
  ['payload', new Set(['Subscription.channel'])],
]);

/**
 * A media type element (MIME_CODES). RFC 6838 lets `#`, `$`, `&`… into a name, so a
 * value can pass MIME with the patient's values glued on (`application/pdf#MRN4455667`).
 */
export function isMediaType(type: string, name: string, owner: string): boolean {
  return type === 'code' && MIME_CODES.get(name)?.has(owner) === true;
}

export function shapeOf(type: string, name: string, owner: string): RegExp | undefined {
  switch (type) {
    case 'id':
      return ID;
    case 'time':
      return TIME;
    case 'oid':
      return OID;
    case 'uuid':
      return UUID;
    case 'code':
      if (name === 'currency') return owner === 'Money' ? CURRENCY : undefined;
      // a resource's or an attachment's language (not an Expression's, which names a media type)
      if (name === 'language') return owner === 'Attachment' || owner === 'Resource' || owner === 'DomainResource' || owner.endsWith('.designation') || isResourceType(owner) ? LANGUAGE : undefined;
      return MIME_CODES.get(name)?.has(owner) ? MIME : undefined;
    default:
      return undefined;
  }
}
