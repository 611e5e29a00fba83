// Every text a person reads exists in both interface languages.
import { z } from 'zod';

export const localizedText = z.strictObject({
  en: z.string().trim().min(1, 'English text is empty'),
  ru: z.string().trim().min(1, 'Russian text is empty'),
});
