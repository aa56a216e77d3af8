import { EmptyState } from '../../shared/components/EmptyState.js';
import { MqttIcon } from '../../shared/icons/Icons.js';

/** MQTT topics and messages; empty until a broker connection exists. */
export function MqttView() {
  return (
    <div className="view mqtt-view" data-testid="mqtt-view">
      <EmptyState icon={<MqttIcon size={32} />} title="No broker connected" testId="mqtt-empty">
        <p>Connect to an MQTT broker to watch the topics your boards publish and send messages to them.</p>
      </EmptyState>
    </div>
  );
}
