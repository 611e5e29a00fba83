// Русские тексты правил шлюза этапа «Запуск» о публикациях (src/engagement/content-gate.ts).
import type { launchGateEn, launchWaitingEn } from './launch.en.ts';

/** Russian plurals carry the few and many forms English has no use for (Intl.PluralRules('ru')). */
const plural = (forms: { one: string; few: string; many: string; other: string }) => forms as { one: string; other: string };

export const launchGateRu: { [K in keyof typeof launchGateEn]: (typeof launchGateEn)[K] extends string ? string : { one: string; other: string } } = {
  published: plural({
    one: 'В обязательной сети {network} вышла {count} публикация, а нужно не меньше {required}',
    few: 'В обязательной сети {network} вышли {count} публикации, а нужно не меньше {required}',
    many: 'В обязательной сети {network} вышло {count} публикаций, а нужно не меньше {required}',
    other: 'В обязательной сети {network} вышло {count} публикации, а нужно не меньше {required}',
  }),
  awaitingApproval: plural({
    one: '{count} публикация ждёт согласования владельца: {list}',
    few: '{count} публикации ждут согласования владельца: {list}',
    many: '{count} публикаций ждут согласования владельца: {list}',
    other: '{count} публикации ждут согласования владельца: {list}',
  }),
};

export const launchWaitingRu: { [K in keyof typeof launchWaitingEn]: { one: string; other: string } } = {
  approveContent: plural({
    one: 'На согласовании {count} публикация: ждёт вашего решения',
    few: 'На согласовании {count} публикации: ждут вашего решения',
    many: 'На согласовании {count} публикаций: ждут вашего решения',
    other: 'На согласовании {count} публикации: ждут вашего решения',
  }),
};
