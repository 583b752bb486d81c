/**
 * The `notice` trait every view shows in place of itself when it has no data, and the test
 * for an array trait that has not arrived yet.
 */

/** The `notice` trait as text to show, or '' (not a string, or only white space). */
export function readNotice(notice) {
  return typeof notice === 'string' && notice.trim() !== '' ? notice : '';
}

/** Whether an array trait holds nothing yet: null, undefined, or an empty dict (a `Dict` trait's default). */
export function isMissing(value) {
  return value === null || value === undefined || (typeof value === 'object' && Object.keys(value).length === 0);
}
