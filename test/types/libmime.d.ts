// The two functions the tests use from nodemailer's companion MIME libraries, which ship no types.
declare module 'libmime' {
  /** Turns =?UTF-8?Q?…?= encoded words of a header back into text. */
  export function decodeWords(value: string): string;
}
declare module 'libqp' {
  export function decode(value: string): Buffer;
}
