// Русские тексты просмотра проекта администратором фирмы: те же ключи, что в firm-view.en.ts.
import type { firmViewEn } from './firm-view.en.ts';

export const firmViewRu: typeof firmViewEn = {
  readOnly: 'Вы смотрите проект как администратор фирмы: читать его можно, а изменения вносят его участники.',
};
