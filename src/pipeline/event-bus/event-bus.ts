/** One message as the sink sees it: its offset in its (topic, partition) log and the event JSON. */
export interface BusMessage {
  offset: number;
  value: string;
}

export interface BusBatch {
  topic: string;
  partition: number;
  messages: BusMessage[];
  /** Messages the bus holds in this partition after this batch, when it says (Kafka); for the sink-lag metric. */
  lag?: number;
}

/** The next offset to read in one (topic, partition): everything before it is safely in the lake. */
export interface BusPosition {
  topic: string;
  partition: number;
  offset: number;
}

export interface BusSubscriber {
  /** Called one batch at a time; the next batch waits for this promise. */
  onBatch(batch: BusBatch, heartbeat: () => Promise<void>): Promise<void>;
  /**
   * The consumer's assignment changed (Kafka rebalance): everything not committed will be
   * delivered again from the committed positions, so buffered messages must be dropped.
   */
  onReset(): Promise<void>;
}

export interface BusConsumer {
  /**
   * Names the log when (topic, partition, offset) is unique only within it: each embedded outbox
   * counts its own offsets, so two producers sharing a lake need it in their file names. Kafka:
   * undefined, offsets are unique in the cluster.
   */
  readonly source?: string;
  start(subscriber: BusSubscriber): Promise<void>;
  /**
   * False while the consumer may have lost its partitions (a Kafka rebalance is under way):
   * nothing buffered may be written then, since a new owner re-reads it.
   */
  writable(): boolean;
  /** Durably stores a position. Throws when the partition is no longer this consumer's. */
  commit(position: BusPosition): Promise<void>;
  /** Stops handing out batches and waits for the one in progress; commits still work after it. */
  pause(): Promise<void>;
  /** Leaves the bus (Kafka: the consumer group). */
  stop(): Promise<void>;
}

/** What a forwarder did since it was made. */
export interface ForwarderStats {
  /** Rows the bus acknowledged (and the outbox then deleted). */
  forwarded: number;
  /** Rows the bus refused for good, moved to the outbox's side table. */
  setAside: number;
}

/** Moves events from the local outbox onto the bus (a no-op for the embedded bus). */
export interface BusForwarder {
  start(): void;
  /**
   * Stops forwarding. With `drainMs` > 0 it first goes on until the outbox is empty or the time
   * is up, and never waits on the bus past that: a send still hanging then is abandoned. Resolves
   * with the rows still in the outbox; they stay there and go out on the next start.
   */
  stop(options?: { drainMs?: number }): Promise<{ left: number }>;
  stats(): ForwarderStats;
}

/** The event bus, selected by EVENT_BUS: the embedded outbox log or Kafka. */
export interface EventBus {
  readonly kind: 'embedded' | 'kafka';
  consumer(group: string): BusConsumer;
  forwarder(): BusForwarder;
}
