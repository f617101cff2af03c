/**
 * Raw DEFLATE decompression (RFC 1951), platform-neutral, into an output of
 * a size fixed in advance: a stream that would inflate past it, or stop
 * short of it, is an error, so a zip bomb costs no more memory than the
 * size its directory declared (and the zip reader bounds that by the
 * compressed size).
 *
 * The decoder is the canonical-Huffman scheme of Mark Adler's `puff`
 * written anew: codes of each length are consecutive integers, so a code
 * is decoded by reading one bit at a time and comparing with the first
 * code of each length.
 */

/** A malformed deflate stream; the zip reader wraps it with the file and entry names. */
export class InflateError extends Error {}

interface Huffman {
  /** count[len]: the number of codes of each bit length 0..15. */
  count: Uint16Array;
  /** The symbols, ordered by code. */
  symbol: Uint16Array;
}

function huffman(lengths: ArrayLike<number>, n: number): Huffman {
  const count = new Uint16Array(16);
  for (let s = 0; s < n; s++) count[lengths[s]!]!++;
  // Over-subscribed code sets (more codes than bit patterns) are invalid.
  let left = 1;
  for (let len = 1; len < 16; len++) {
    left = (left << 1) - count[len]!;
    if (left < 0) throw new InflateError('over-subscribed Huffman code');
  }
  const offs = new Uint16Array(16);
  for (let len = 1; len < 15; len++) offs[len + 1] = offs[len]! + count[len]!;
  const symbol = new Uint16Array(n);
  for (let s = 0; s < n; s++) if (lengths[s] !== 0) symbol[offs[lengths[s]!]!++] = s;
  return { count, symbol };
}

const LEN_BASE = [3, 4, 5, 6, 7, 8, 9, 10, 11, 13, 15, 17, 19, 23, 27, 31, 35, 43, 51, 59, 67, 83, 99, 115, 131, 163, 195, 227, 258];
const LEN_EXTRA = [0, 0, 0, 0, 0, 0, 0, 0, 1, 1, 1, 1, 2, 2, 2, 2, 3, 3, 3, 3, 4, 4, 4, 4, 5, 5, 5, 5, 0];
const DIST_BASE = [1, 2, 3, 4, 5, 7, 9, 13, 17, 25, 33, 49, 65, 97, 129, 193, 257, 385, 513, 769, 1025, 1537, 2049, 3073, 4097, 6145, 8193, 12289, 16385, 24577];
const DIST_EXTRA = [0, 0, 0, 0, 1, 1, 2, 2, 3, 3, 4, 4, 5, 5, 6, 6, 7, 7, 8, 8, 9, 9, 10, 10, 11, 11, 12, 12, 13, 13];
const CL_ORDER = [16, 17, 18, 0, 8, 7, 9, 6, 10, 5, 11, 4, 12, 3, 13, 2, 14, 1, 15];

let fixed: [Huffman, Huffman] | undefined;
function fixedCodes(): [Huffman, Huffman] {
  if (fixed === undefined) {
    const l = new Uint8Array(288);
    l.fill(8, 0, 144).fill(9, 144, 256).fill(7, 256, 280).fill(8, 280, 288);
    fixed = [huffman(l, 288), huffman(new Uint8Array(30).fill(5), 30)];
  }
  return fixed;
}

/**
 * Inflates `input` (raw deflate, no zlib or gzip wrapper) into exactly
 * `size` bytes; throws `InflateError` otherwise.
 */
export function inflateRaw(input: Uint8Array, size: number): Uint8Array {
  const out = new Uint8Array(size);
  let pos = 0; // next input byte
  let bitBuf = 0;
  let bitCnt = 0;
  let outPos = 0;
  const bits = (need: number): number => {
    let val = bitBuf;
    while (bitCnt < need) {
      if (pos >= input.length) throw new InflateError('the compressed data end early');
      val |= input[pos++]! << bitCnt;
      bitCnt += 8;
    }
    bitBuf = val >>> need;
    bitCnt -= need;
    return val & ((1 << need) - 1);
  };
  const decode = (h: Huffman): number => {
    let code = 0, first = 0, index = 0;
    for (let len = 1; len < 16; len++) {
      code |= bits(1);
      const count = h.count[len]!;
      if (code - count < first) return h.symbol[index + (code - first)]!;
      index += count;
      first = (first + count) << 1;
      code <<= 1;
    }
    throw new InflateError('invalid Huffman code');
  };
  const codes = (lit: Huffman, dist: Huffman): void => {
    for (;;) {
      let sym = decode(lit);
      if (sym < 256) {
        if (outPos >= size) throw new InflateError(`the data inflate to more than the declared ${size} bytes`);
        out[outPos++] = sym;
      } else if (sym === 256) return;
      else {
        sym -= 257;
        if (sym >= 29) throw new InflateError('invalid length code');
        const len = LEN_BASE[sym]! + bits(LEN_EXTRA[sym]!);
        const ds = decode(dist);
        if (ds >= 30) throw new InflateError('invalid distance code');
        const d = DIST_BASE[ds]! + bits(DIST_EXTRA[ds]!);
        if (d > outPos) throw new InflateError(`distance ${d} reaches before the start of the output`);
        if (outPos + len > size) throw new InflateError(`the data inflate to more than the declared ${size} bytes`);
        // A copy that overlaps itself repeats the last d bytes, so copy forward one byte at a time.
        for (let k = 0; k < len; k++, outPos++) out[outPos] = out[outPos - d]!;
      }
    }
  };
  let last = 0;
  while (last === 0) {
    last = bits(1);
    const type = bits(2);
    if (type === 0) {
      bitBuf = 0;
      bitCnt = 0;
      if (pos + 4 > input.length) throw new InflateError('the compressed data end early');
      const len = input[pos]! | (input[pos + 1]! << 8);
      const nlen = input[pos + 2]! | (input[pos + 3]! << 8);
      if (len !== (~nlen & 0xffff)) throw new InflateError('stored block length does not match its complement');
      pos += 4;
      if (pos + len > input.length) throw new InflateError('the compressed data end early');
      if (outPos + len > size) throw new InflateError(`the data inflate to more than the declared ${size} bytes`);
      out.set(input.subarray(pos, pos + len), outPos);
      pos += len;
      outPos += len;
    } else if (type === 1) {
      const [l, d] = fixedCodes();
      codes(l, d);
    } else if (type === 2) {
      const nlen = bits(5) + 257, ndist = bits(5) + 1, ncode = bits(4) + 4;
      if (nlen > 286 || ndist > 30) throw new InflateError('too many length or distance codes');
      const lengths = new Uint8Array(320);
      for (let k = 0; k < ncode; k++) lengths[CL_ORDER[k]!] = bits(3);
      const lencode = huffman(lengths, 19);
      lengths.fill(0);
      let k = 0;
      while (k < nlen + ndist) {
        const sym = decode(lencode);
        if (sym < 16) lengths[k++] = sym;
        else {
          let repeat: number, value = 0;
          if (sym === 16) {
            if (k === 0) throw new InflateError('a repeat with no previous length');
            value = lengths[k - 1]!;
            repeat = 3 + bits(2);
          } else if (sym === 17) repeat = 3 + bits(3);
          else repeat = 11 + bits(7);
          if (k + repeat > nlen + ndist) throw new InflateError('too many code lengths');
          while (repeat--) lengths[k++] = value;
        }
      }
      if (lengths[256] === 0) throw new InflateError('no end-of-block code');
      codes(huffman(lengths, nlen), huffman(lengths.subarray(nlen), ndist));
    } else throw new InflateError('invalid block type 3');
  }
  if (outPos !== size) throw new InflateError(`the data inflate to ${outPos} bytes, not the declared ${size}`);
  return out;
}
