/** Test data shaped like the Oxford-IIIT Pets confusion matrix (37 breeds, cats Capitalised). */

export const CATS = [
  'Abyssinian', 'Bengal', 'Birman', 'Bombay', 'British_Shorthair', 'Egyptian_Mau',
  'Maine_Coon', 'Persian', 'Ragdoll', 'Russian_Blue', 'Siamese', 'Sphynx',
];
export const DOGS = [
  'american_bulldog', 'american_pit_bull_terrier', 'basset_hound', 'beagle', 'boxer', 'chihuahua',
  'english_cocker_spaniel', 'english_setter', 'german_shorthaired', 'great_pyrenees', 'havanese',
  'japanese_chin', 'keeshond', 'leonberger', 'miniature_pinscher', 'newfoundland', 'pomeranian', 'pug',
  'saint_bernard', 'samoyed', 'scottish_terrier', 'shiba_inu', 'staffordshire_bull_terrier',
  'wheaten_terrier', 'yorkshire_terrier',
];
/** fastai's vocab: sorted, so capitalised cats come first. */
export const VOCAB = [...CATS, ...DOGS].sort();

/** Deterministic counts: 20 on the diagonal, a few confusions, one known worst pair. */
export function petsCounts(C = VOCAB.length) {
  const counts = new Int32Array(C * C);
  for (let i = 0; i < C; i++) {
    counts[i * C + i] = 20;
    counts[i * C + ((i * 7 + 3) % C)] += i % 3;
  }
  counts[VOCAB.indexOf('american_pit_bull_terrier') * C + VOCAB.indexOf('staffordshire_bull_terrier')] = 9;
  return counts;
}

/** Wire ndarray (as anywidget delivers it: a DataView) of an Int32Array. */
export function wireInt32(values, shape) {
  return { dtype: 'int32', shape, buffer: new DataView(values.buffer, values.byteOffset, values.byteLength) };
}

/** Wire ndarray in the offline report's base64 form. */
export function wireInt32Base64(values, shape) {
  return { dtype: 'int32', shape, b64: Buffer.from(values.buffer, values.byteOffset, values.byteLength).toString('base64') };
}
