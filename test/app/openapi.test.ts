// openapi.yaml against itself (a valid OpenAPI 3.1 document) and against the running service: every
// answer of a real request is a documented status, and its body matches the documented schema.
import { Validator } from '@seriousme/openapi-schema-validator';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestService, type TestService } from '../test-service.ts';
import { describedRequests, spec } from './openapi-support.ts';

describe('openapi.yaml', () => {
  let service: TestService;
  let operator: Redis;
  const { check, seen } = describedRequests(() => service.url);

  beforeAll(async () => {
    service = await startTestService(12);
    operator = new Redis(service.redis.url);
    service.simulator.setFailure('error500'); // from the start: the wake-up fetch fails, so the first GET is a 503
    await service.start({}, { partial: true });
  });
  afterAll(async () => {
    operator?.disconnect();
    await service?.close();
  });

  it('is a valid OpenAPI 3.1 document, and the service serves it at /api/openapi.json', async () => {
    const result = await new Validator().validate(spec);
    expect(result.errors ?? [], JSON.stringify(result.errors)).toEqual([]);
    expect(result.valid).toBe(true);
    expect(spec.openapi).toBe('3.1.0');
    expect(await (await fetch(`${service.url}/api/openapi.json`)).json()).toEqual(spec);
  });

  it('describes every answer the running service gives, status and body', async () => {
    await check('get', '/api/open-classrooms'); // 503: nothing yet and 25Live down
    await check('post', '/api/refresh'); // 503: the backoff after that failure
    await operator.del('classrooms:backoff');
    service.simulator.setFailure('none');
    await new Promise((resolve) => setTimeout(resolve, 1100)); // the instance follows the store within a second
    await check('post', '/api/refresh'); // 200
    await check('post', '/api/refresh'); // 429
    service.simulator.setFailure('error500');
    await operator.del('classrooms:last_refresh', 'classrooms:refresh_claim');
    await check('post', '/api/refresh'); // 502
    service.simulator.setFailure('none');
    const dates = (await (await fetch(`${service.url}/api/dates`)).json()).dates as string[];
    for (const query of ['', '?building=CGS', `?date=${dates[3]}`, '?date=2001-01-01', '?building=NOPE']) await check('get', '/api/open-classrooms', query);
    for (const query of ['', `?date=${dates[1]}&at=14:00&for=60&building=CAS`, '?at=25:00']) await check('get', '/api/free-rooms', query);
    for (const path of ['/api/dates', '/api/cooldown-status', '/api/last-updated', '/healthz', '/readyz', '/api/openapi.json', '/metrics']) await check('get', path);
    expect(seen).toEqual(
      expect.arrayContaining([
        'get /api/open-classrooms 503',
        'post /api/refresh 503',
        'post /api/refresh 200',
        'post /api/refresh 429',
        'post /api/refresh 502',
        'get /api/open-classrooms 200',
        'get /api/open-classrooms 400',
        'get /api/free-rooms 200',
        'get /api/free-rooms 400',
        'get /readyz 200',
      ]),
    );
  });
});
