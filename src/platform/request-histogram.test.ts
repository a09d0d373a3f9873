import { Registry } from 'prom-client';
import { describe, expect, it } from 'vitest';
import { RequestHistogram } from './request-histogram.js';

describe('request histogram', () => {
  it('when requests are observed, then Prometheus reads cumulative buckets, +Inf, sum and count per method, route and status', async () => {
    const registry = new Registry();
    const h = new RequestHistogram('http_seconds', 'requests', [0.01, 0.1, 1]);
    registry.registerMetric(h.asMetric());
    const detail = h.observer('/detail/:id');
    detail('GET', 200, 0.005);
    detail('GET', 200, 0.05);
    detail('GET', 200, 5);
    detail('GET', 404, 0.1);
    h.observer('/banner')('HEAD', 200, 0.002);
    const lines = (await registry.metrics()).split('\n');
    expect(lines).toEqual(
      expect.arrayContaining([
        '# TYPE http_seconds histogram',
        'http_seconds_bucket{method="GET",route="/detail/:id",status_code="200",le="0.01"} 1',
        'http_seconds_bucket{method="GET",route="/detail/:id",status_code="200",le="0.1"} 2',
        'http_seconds_bucket{method="GET",route="/detail/:id",status_code="200",le="1"} 2',
        'http_seconds_bucket{method="GET",route="/detail/:id",status_code="200",le="+Inf"} 3',
        'http_seconds_sum{method="GET",route="/detail/:id",status_code="200"} 5.055',
        'http_seconds_count{method="GET",route="/detail/:id",status_code="200"} 3',
        // a duration on a bound falls in that bucket (le = less than or equal)
        'http_seconds_bucket{method="GET",route="/detail/:id",status_code="404",le="0.1"} 1',
        'http_seconds_bucket{method="GET",route="/detail/:id",status_code="404",le="0.01"} 0',
        'http_seconds_count{method="HEAD",route="/banner",status_code="200"} 1',
      ]),
    );
  });
});
