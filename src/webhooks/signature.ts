// The signature a receiver checks: hex HMAC-SHA256 with the subscription's secret over "<timestamp>.<body>",
// where the timestamp is the X-Troika-Timestamp header (unix seconds), so an old body cannot be replayed with a new time.
import { createHmac, randomBytes } from 'node:crypto';

export const signatureOf = (secret: string, timestamp: number, body: string) => `sha256=${createHmac('sha256', secret).update(`${timestamp}.${body}`).digest('hex')}`;

export const newWebhookSecret = () => `whsec_${randomBytes(32).toString('base64url')}`;
