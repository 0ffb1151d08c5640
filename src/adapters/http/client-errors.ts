import type { Server } from 'node:http';
import type { Duplex } from 'node:stream';
import { errorHeaders } from './cors.ts';
import { MAX_URL_LENGTH } from './lean-lane.ts';
import { newRequestId } from './request-headers.ts';

const answer = (status: number, reason: string, detail: string) => {
  const body = JSON.stringify({ detail });
  return [
    `HTTP/1.1 ${status} ${reason}`,
    // A new request id: Node parsed no header, so none of the caller's can be echoed.
    ...Object.entries(errorHeaders(newRequestId())).map(([name, value]) => `${name}: ${value}`),
    `Content-Length: ${Buffer.byteLength(body)}`,
    'Connection: close',
    '',
    body,
  ].join('\r\n');
};

/**
 * Requests Node refuses before any listener sees them get the API's answers too: JSON with CORS and a request id,
 * `414` when the request line is what overflowed, `431` for the headers, `400` for anything malformed.
 */
export function answerClientErrors(server: Server): void {
  server.on('clientError', (error: NodeJS.ErrnoException & { rawPacket?: Buffer }, socket: Duplex) => {
    if (!socket.writable) return void socket.destroy();
    if (error.code === 'HPE_HEADER_OVERFLOW') {
      const head = error.rawPacket?.toString('latin1') ?? '';
      const firstLine = head.indexOf('\r\n') < 0 ? head.length : head.indexOf('\r\n');
      socket.end(firstLine > MAX_URL_LENGTH ? answer(414, 'URI Too Long', 'URI Too Long') : answer(431, 'Request Header Fields Too Large', 'Request Header Fields Too Large'));
    } else {
      socket.end(answer(400, 'Bad Request', 'Bad Request'));
    }
  });
}
