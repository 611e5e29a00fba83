// Where people reach Troika, for the links in e-mails: TROIKA_BASE_URL, or this server's own address.
import type { Config } from '../config.ts';

export const baseUrlOf = (config: Pick<Config, 'baseUrl' | 'host' | 'port'>) => config.baseUrl ?? `http://${config.host === '0.0.0.0' ? '127.0.0.1' : config.host}:${config.port}`;
