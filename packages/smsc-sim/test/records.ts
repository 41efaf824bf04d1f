// A stored message record for the store's tests and the 1,000,000-message bench: every field given once here.
import type { MessageRecord } from '../src/store/index.js';

export function messageRecord(id: number, over: Partial<MessageRecord> = {}): MessageRecord {
  return {
    id, mid: id.toString(16), groupId: id, partNum: 1, partTotal: 1, direction: 'MT', command: 'submit_sm', systemId: 'acme',
    deliverTo: null, serviceType: '', sourceTon: 1, sourceNpi: 1, sourceAddr: '111', destTon: 1, destNpi: 1, destAddr: '222',
    esmClass: 0, protocolId: 0, priorityFlag: 0, registeredDelivery: 1, dataCoding: 0, shortMessage: Buffer.from('hello'),
    text: 'hello', submittedAt: 1_700_000_000_000, scheduleAt: null, expireAt: 1_800_000_000_000, state: 'ENROUTE', err: 0,
    doneAt: null, plannedState: 'DELIVERED', plannedErr: 0, dueAt: 1_700_000_000_100, pdu: null, ...over,
  };
}
