/** Every error this package throws is an EncodingError with a stable `code`. */
export type EncodingErrorCode =
  | 'UNENCODABLE' // a character the chosen character set cannot carry
  | 'UNSUPPORTED_DATA_CODING' // a data_coding value with no character set behind it
  | 'INVALID_UDH' // a user data header that does not parse, or cannot be built
  | 'INVALID_OPTION' // an option value out of range
  | 'TOO_LONG'; // a text that needs more than 255 parts

export class EncodingError extends Error {
  override readonly name = 'EncodingError';
  readonly code: EncodingErrorCode;
  /** For UNENCODABLE: the offending character and its index (UTF-16 code unit offset) in the text. */
  readonly char?: string;
  readonly position?: number;
  readonly dataCoding?: number;

  constructor(
    code: EncodingErrorCode,
    message: string,
    detail: { char?: string; position?: number; dataCoding?: number } = {},
  ) {
    super(message);
    this.code = code;
    if (detail.char !== undefined) this.char = detail.char;
    if (detail.position !== undefined) this.position = detail.position;
    if (detail.dataCoding !== undefined) this.dataCoding = detail.dataCoding;
  }
}

/** `U+20AC '€'` style description of one code point, for error messages. */
export function describeChar(ch: string): string {
  const cp = ch.codePointAt(0) ?? 0;
  const hex = cp.toString(16).toUpperCase().padStart(4, '0');
  const printable = cp >= 0x20 && cp !== 0x7f && !(cp >= 0x80 && cp < 0xa0);
  return printable ? `U+${hex} '${ch}'` : `U+${hex}`;
}

export function unencodable(ch: string, position: number, charset: string, dataCoding?: number): EncodingError {
  return new EncodingError(
    'UNENCODABLE',
    `character ${describeChar(ch)} at position ${position} cannot be encoded in ${charset}`,
    dataCoding === undefined ? { char: ch, position } : { char: ch, position, dataCoding },
  );
}
