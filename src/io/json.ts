/**
 * A strict JSON parser for file headers (RFC 8259), which, unlike
 * `JSON.parse`, refuses duplicate object keys (`JSON.parse` keeps the last
 * one silently, so two readers could see two different files) and nesting
 * deeper than `maxDepth`. Objects come back with a null prototype, so a key
 * named `__proto__` is an ordinary key.
 */

/** A parsed JSON value. */
export type Json = null | boolean | number | string | Json[] | { [key: string]: Json };

/** A JSON syntax error at a byte... character offset. */
export class JsonSyntaxError extends Error {
  constructor(readonly what: string, readonly at: number) {
    super(`${what} at character ${at}`);
  }
}

const WS = new Set([0x20, 0x09, 0x0a, 0x0d]);

/**
 * Parses `text` strictly; throws `JsonSyntaxError` naming the offset.
 *
 * @example
 * ```ts
 * parseStrictJson('{"a": 1, "a": 2}'); // throws: duplicate key "a" at character 9
 * ```
 */
export function parseStrictJson(text: string, maxDepth = 64): Json {
  let i = 0;
  const fail = (what: string, at = i): never => {
    throw new JsonSyntaxError(what, at);
  };
  const skip = () => {
    while (i < text.length && WS.has(text.charCodeAt(i))) i++;
  };
  const expect = (ch: string) => {
    if (text[i] !== ch) fail(`expected '${ch}' but found ${i < text.length ? JSON.stringify(text[i]) : 'the end'}`);
    i++;
  };
  const parseString = (): string => {
    const start = i;
    expect('"');
    let out = '';
    let run = i;
    for (;;) {
      if (i >= text.length) fail('unterminated string', start);
      const c = text.charCodeAt(i);
      if (c === 0x22) {
        out += text.slice(run, i);
        i++;
        return out;
      }
      if (c < 0x20) fail('control character in string');
      if (c === 0x5c) {
        out += text.slice(run, i);
        const e = text[i + 1];
        const simple: Record<string, string> = { '"': '"', '\\': '\\', '/': '/', b: '\b', f: '\f', n: '\n', r: '\r', t: '\t' };
        if (e !== undefined && e in simple) {
          out += simple[e];
          i += 2;
        } else if (e === 'u' && /^[0-9a-fA-F]{4}$/.test(text.slice(i + 2, i + 6))) {
          out += String.fromCharCode(parseInt(text.slice(i + 2, i + 6), 16));
          i += 6;
        } else fail('bad escape in string');
        run = i;
      } else i++;
    }
  };
  const NUMBER = /-?(?:0|[1-9]\d*)(?:\.\d+)?(?:[eE][+-]?\d+)?/y;
  const parseValue = (depth: number): Json => {
    skip();
    const c = text[i];
    if (c === '{') {
      if (depth >= maxDepth) fail(`nesting deeper than ${maxDepth}`);
      i++;
      const obj = Object.create(null) as { [key: string]: Json };
      const seen = new Set<string>();
      skip();
      if (text[i] === '}') {
        i++;
        return obj;
      }
      for (;;) {
        skip();
        const at = i;
        const key = parseString();
        if (seen.has(key)) fail(`duplicate key ${JSON.stringify(key)}`, at);
        seen.add(key);
        skip();
        expect(':');
        obj[key] = parseValue(depth + 1);
        skip();
        if (text[i] === ',') i++;
        else {
          expect('}');
          return obj;
        }
      }
    }
    if (c === '[') {
      if (depth >= maxDepth) fail(`nesting deeper than ${maxDepth}`);
      i++;
      const arr: Json[] = [];
      skip();
      if (text[i] === ']') {
        i++;
        return arr;
      }
      for (;;) {
        arr.push(parseValue(depth + 1));
        skip();
        if (text[i] === ',') i++;
        else {
          expect(']');
          return arr;
        }
      }
    }
    if (c === '"') return parseString();
    for (const [word, value] of [['true', true], ['false', false], ['null', null]] as const) {
      if (text.startsWith(word, i)) {
        i += word.length;
        return value;
      }
    }
    NUMBER.lastIndex = i;
    const m = NUMBER.exec(text);
    if (m === null || m[0].length === 0) return fail(i < text.length ? `unexpected ${JSON.stringify(text[i])}` : 'unexpected end');
    i += m[0].length;
    return Number(m[0]);
  };
  const value = parseValue(0);
  skip();
  if (i !== text.length) fail(`unexpected ${JSON.stringify(text[i])} after the value`);
  return value;
}

/** True for a parsed JSON object. */
export function isJsonObject(v: Json | undefined): v is { [key: string]: Json } {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}
