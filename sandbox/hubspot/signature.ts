/**
 * HubSpot's v3 request signature: base64(HMAC-SHA256(clientSecret, method + uri + body + timestamp)),
 * sent as X-HubSpot-Signature-v3 with X-HubSpot-Request-Timestamp (ms).
 */
import { createHmac } from 'node:crypto';

export function signatureV3(input: { clientSecret: string; method: string; uri: string; body: string; timestamp: number }): string {
  return createHmac('sha256', input.clientSecret)
    .update(`${input.method}${input.uri}${input.body}${input.timestamp}`)
    .digest('base64');
}
