/**
 * What FCM hands the browser for a message the function sends, so tests can deliver exactly
 * that to the real worker (FCM has no emulator). Test-only: the app never builds one.
 */
import type { FcmMessage } from '../../functions/src/fcm-message';
import type { NotePushData } from '../../src/shared/push';

/**
 * What FCM delivers to a web push subscription for a data message: a JSON object with the data
 * map under `data`, plus FCM's own fields (`from`, `fcmMessageId`, `priority`, `collapse_key`,
 * `productId`, `fcmOptions`, ...; see MessagePayloadInternal in @firebase/messaging).
 */
export interface FcmEnvelope<Data extends Record<string, string> = NotePushData> {
  data: Data;
  from: string;
  fcmMessageId: string;
  priority: 'high' | 'normal';
  fcmOptions?: { link: string };
}

/** How FCM wraps a message it delivers to a browser. */
export function wrapAsFcmDelivers<Data extends Record<string, string>>(
  message: FcmMessage<Data>,
  from = '1234567890',
  fcmMessageId: string = crypto.randomUUID(),
): FcmEnvelope<Data> {
  return {
    data: message.data,
    from,
    fcmMessageId,
    priority: message.webpush.headers.Urgency === 'high' ? 'high' : 'normal',
    fcmOptions: { link: message.webpush.fcmOptions.link },
  };
}
