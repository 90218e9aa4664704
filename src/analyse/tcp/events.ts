// What the TCP flow tracker tells the report (it emits no event).

/** TCP connections dropped from tracking because the table was full. */
export interface FlowsEvicted { note: 'flows.evicted'; count: number; max: number }

export type TcpNote = FlowsEvicted;
