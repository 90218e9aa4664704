// Field tables: each decoder declares, next to its decode function, the Wireshark fields it can show —
// the name exactly as `tshark -G fields` lists it, and how to read the value, as Wireshark displays it,
// from the decoded layer (Wireshark's hf arrays, gopacket's layer fields). The decoders never read these
// tables: they are used only when a frame is shown (src/present/layers.ts), never on the hot path.
//
// Values are what `tshark -T fields` prints, typed for JSON: a decimal integer is a number; a field
// Wireshark displays in hex (BASE_HEX: eth.type, tcp.flags, ip.id …) is a string `0x0800` with its
// width; a boolean is true/false (tshark prints 1/0); an address or text is a string; a field that
// occurs several times in one packet (vrrp.ip_addr) is an array. null or undefined: Wireshark does not
// show the field on this packet.
//
// What a decoder knows that Wireshark has no field for (the VRRP checksum variant that matched, the
// problems that make a receiver drop an advert) is declared apart, as notes: never shown as a field.

export type FieldValue = string | number | boolean | readonly (string | number)[];

export interface Field<T> {
  /** Wireshark's field name (`tshark -G fields`), usable in a display filter. */
  readonly name: string;
  /** The value as Wireshark shows it, or null/undefined when Wireshark shows no such field here. */
  readonly value: (layer: T) => FieldValue | null | undefined;
}

export interface Note<T> {
  /** vrrpscope's own name for it (camelCase: not a Wireshark field, never looks like one). */
  readonly key: string;
  readonly value: (layer: T) => unknown;
}

/** Hex as Wireshark shows an unsigned field of `digits` hex digits: 0x0800. */
export function hex(n: number, digits: number): string {
  return '0x' + (n >>> 0).toString(16).padStart(digits, '0');
}
export const hex8 = (n: number): string => hex(n, 2);
export const hex16 = (n: number): string => hex(n, 4);
export const hex32 = (n: number): string => hex(n, 8);

/** The fields of one layer as a JSON object keyed by Wireshark name (absent fields left out). */
export function fieldsOf<T>(layer: T, table: readonly Field<T>[]): Record<string, FieldValue> {
  const out: Record<string, FieldValue> = {};
  for (const f of table) {
    const v = f.value(layer);
    if (v !== null && v !== undefined && !(Array.isArray(v) && v.length === 0)) out[f.name] = v;
  }
  return out;
}

/** The notes of one layer (absent, false-y empty lists and zero counts left out). */
export function notesOf<T>(layer: T, table: readonly Note<T>[]): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const n of table) {
    const v = n.value(layer);
    if (v !== null && v !== undefined && v !== 0 && !(Array.isArray(v) && v.length === 0)) out[n.key] = v;
  }
  return out;
}
