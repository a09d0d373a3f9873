/** Sends `/search?keyword=kw-<n>` requests until stopped; remembers which ones were answered. */
export interface SearchTraffic {
  acknowledged: Set<string>;
  sent(): number;
  stop(): Promise<void>;
}

export function startSearchTraffic(baseUrl: () => string, concurrency = 4, pauseMs = 0): SearchTraffic {
  const acknowledged = new Set<string>();
  let next = 0;
  let running = true;
  const worker = async () => {
    while (running) {
      const keyword = `kw-${next++}`;
      try {
        const res = await fetch(`${baseUrl()}/search?keyword=${keyword}`, { headers: { 'user-agent': 'crash-test' } });
        await res.arrayBuffer();
        if (res.status === 200) acknowledged.add(keyword);
        if (pauseMs > 0) await new Promise((r) => setTimeout(r, pauseMs));
      } catch {
        // The server is down (killed on purpose): nothing acknowledged.
        await new Promise((r) => setTimeout(r, 20));
      }
    }
  };
  const workers = Array.from({ length: concurrency }, worker);
  return {
    acknowledged,
    sent: () => next,
    stop: async () => {
      running = false;
      await Promise.all(workers);
    },
  };
}
