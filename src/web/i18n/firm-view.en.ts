// A firm administrator's view of an engagement they take no part in (src/engagement/engagement-access.ts).
export const firmViewEn = {
  readOnly: 'You see this engagement as a firm administrator: you can read it, and its participants make the changes.',
};
