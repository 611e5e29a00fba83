// Русские тексты страниц вебхуков (src/webhooks, views/webhooks).
import type { webhooksEn, webhooksEventsEn } from './webhooks.en.ts';

export const webhooksRu: typeof webhooksEn = {
  link: 'Вебхуки',
  titleEngagement: 'Вебхуки: {client}',
  titleFirm: 'Вебхуки всей фирмы',
  introEngagement: 'Troika отправляет каждое выбранное событие этого проекта на ваш адрес подписанным POST-запросом (JSON). Неудачные отправки повторяются со всё большими паузами.',
  introFirm: 'Troika отправляет каждое выбранное событие всех проектов фирмы на ваш адрес подписанным POST-запросом (JSON).',
  back: 'Назад к проекту',
  none: 'Вебхуков пока нет.',
  target: 'Адрес (https)',
  targetHint: 'Адрес должен начинаться с https:// и вести в публичную сеть; частные, локальные и link-local адреса не принимаются.',
  kinds: 'События',
  allKinds: 'Все события (и те, что появятся позже)',
  kindsHint: 'Не выбирайте ничего, чтобы получать все события.',
  create: 'Добавить вебхук',
  remove: 'Удалить',
  created: 'Вебхук добавлен. Скопируйте секрет сейчас: он показывается только один раз.',
  secret: 'Секрет подписи',
  secretHint: 'Проверяйте каждый запрос: X-Troika-Signature — это «sha256=» и шестнадцатеричный HMAC-SHA256 от «<X-Troika-Timestamp>.<тело>» с этим секретом.',
  removed: 'Вебхук удалён.',
  since: 'Добавлен {date}',
  log: 'Последние отправки',
  noDeliveries: 'Пока ничего не отправлено.',
  event: 'Событие',
  status: 'Состояние',
  code: 'Ответ',
  time: 'Время ответа',
  attempts: 'Попытки',
  when: 'Последняя попытка',
  ms: '{ms} мс',
  statuses: { pending: 'ждёт отправки', retrying: 'будет повторена', delivered: 'доставлено', failed: 'не доставлено', refused: 'адрес запрещён' },
};

export const webhooksEventsRu: typeof webhooksEventsEn = {
  webhook_subscribe: 'добавил(а) вебхук',
  webhook_unsubscribe: 'удалил(а) вебхук',
};

// The service's refusals, by their English text (see translateMessage).
export const webhooksServiceMessagesRu: Record<string, string> = {
  'choose event kinds from the list': 'Выберите события из списка',
  'the address must be at most {0} characters': 'Адрес должен быть не длиннее {0} символов',
  'enter a full address such as https://example.com/hooks': 'Введите полный адрес, например https://example.com/hooks',
  'the address must start with https://': 'Адрес должен начинаться с https://',
  'the address must not hold a user name or password': 'В адресе не должно быть имени пользователя или пароля',
  'the host of this address cannot be found': 'Сервер с таким адресом не найден',
  'the address leads to a loopback network address, which webhooks may not reach': 'Адрес ведёт на локальный адрес этой машины (loopback), вебхуки туда не отправляются',
  'the address leads to a private network address, which webhooks may not reach': 'Адрес ведёт в частную сеть, вебхуки туда не отправляются',
  'the address leads to a link-local network address, which webhooks may not reach': 'Адрес ведёт на link-local адрес, вебхуки туда не отправляются',
  'the address leads to an unspecified network address, which webhooks may not reach': 'Адрес ведёт на неопределённый адрес (0.0.0.0 или ::), вебхуки туда не отправляются',
  'the address leads to a multicast network address, which webhooks may not reach': 'Адрес ведёт на групповой (multicast) адрес, вебхуки туда не отправляются',
  'the address leads to a reserved network address, which webhooks may not reach': 'Адрес ведёт в зарезервированную сеть, вебхуки туда не отправляются',
  'Only a firm administrator manages firm-wide webhooks': 'Вебхуками всей фирмы управляют только администраторы фирмы',
};
