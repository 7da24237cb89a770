/** Tags and helpers the tokenizer and writer need by number. */
export const ITEM = 0xfffee000;
export const ITEM_DELIMITER = 0xfffee00d;
export const SEQUENCE_DELIMITER = 0xfffee0dd;
export const PIXEL_DATA = 0x7fe00010;
export const TRANSFER_SYNTAX_UID = 0x00020010;
export const MEDIA_STORAGE_SOP_INSTANCE_UID = 0x00020003;
export const META_GROUP_LENGTH = 0x00020000;
export const UNDEFINED_LENGTH = 0xffffffff;

export function tagGroup(tag: number): number {
  return tag >>> 16;
}

export function isPrivateTag(tag: number): boolean {
  return ((tag >>> 16) & 1) === 1;
}

/** "(0010,0010)" — used in error details and logs (a tag is not PHI). */
export function formatTag(tag: number): string {
  const h = (tag >>> 0).toString(16).toUpperCase().padStart(8, '0');
  return `(${h.slice(0, 4)},${h.slice(4)})`;
}
