/** The QoS picker every MQTT form has (subscribe, publish, last will). */
export type Qos = 0 | 1 | 2;

export function QosSelect({ label, value, onChange }: { label: string; value: Qos; onChange(qos: Qos): void }) {
  return (
    <select className="select-input" aria-label={label} value={value} onChange={(e) => onChange(Number(e.target.value) as Qos)}>
      <option value={0}>QoS 0</option>
      <option value={1}>QoS 1</option>
      <option value={2}>QoS 2</option>
    </select>
  );
}

/** How the payload formats are named in the UI. */
export const FORMAT_LABELS = { json: 'JSON', text: 'Text', hex: 'Hex', base64: 'Base64' } as const;
