// The two functions the tests use from nodemailer's companion MIME libraries, which ship no types.
declare module 'libmime' {
  const libmime: {
    /** Turns =?UTF-8?Q?…?= encoded words of a header back into text (a method: call it on the object). */
    decodeWords(value: string): string;
  };
  export default libmime;
}
declare module 'libqp' {
  export function decode(value: string): Buffer;
}
