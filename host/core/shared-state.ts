// Process-wide shared data (with CAS) and shared queues, partitioned by vm_id as in proxy-wasm-cpp-host.
// They outlive any single VM, so two worker VMs (or two plugins) see the same values.
import { WasmResult } from './abi.ts';

export interface QueueReceiver { notify(queueId: number): void }

interface Queue { vmId: string; name: string; items: Uint8Array[]; receiver: QueueReceiver }

export class SharedState {
  private data = new Map<string, { value: Uint8Array; cas: number }>();
  private nextCas = 1;
  private queues = new Map<number, Queue>();
  private queueIds = new Map<string, number>();
  private nextQueueId = 1;

  private key(vmId: string, key: string): string { return `${vmId}\u0000${key}`; }

  get(vmId: string, key: string): { value: Uint8Array; cas: number } | undefined {
    return this.data.get(this.key(vmId, key));
  }

  set(vmId: string, key: string, value: Uint8Array, cas: number): WasmResult {
    const k = this.key(vmId, key);
    const cur = this.data.get(k);
    if (cas !== 0 && cur && cur.cas !== cas) return WasmResult.CasMismatch;
    let next = this.nextCas++;
    if (next === 0 || next > 0xffffffff) { this.nextCas = 2; next = 1; }
    this.data.set(k, { value: value.slice(), cas: next });
    return WasmResult.Ok;
  }

  registerQueue(vmId: string, name: string, receiver: QueueReceiver): number {
    const k = this.key(vmId, name);
    let id = this.queueIds.get(k);
    if (id === undefined) {
      id = this.nextQueueId++;
      this.queueIds.set(k, id);
      this.queues.set(id, { vmId, name, items: [], receiver });
    } else this.queues.get(id)!.receiver = receiver; // a later register takes over delivery
    return id;
  }

  resolveQueue(vmId: string, name: string): number | undefined {
    return this.queueIds.get(this.key(vmId, name));
  }

  enqueue(id: number, data: Uint8Array): WasmResult {
    const q = this.queues.get(id);
    if (!q) return WasmResult.NotFound;
    q.items.push(data.slice());
    q.receiver.notify(id);
    return WasmResult.Ok;
  }

  dequeue(id: number): { result: WasmResult; data?: Uint8Array } {
    const q = this.queues.get(id);
    if (!q) return { result: WasmResult.NotFound };
    const data = q.items.shift();
    return data ? { result: WasmResult.Ok, data } : { result: WasmResult.Empty };
  }
}
