import { EmptyState } from '../../shared/components/EmptyState.js';
import { FlashIcon } from '../../shared/icons/Icons.js';

/** Installing MicroPython firmware; empty until a board is connected. */
export function FlashView() {
  return (
    <div className="view flash-view" data-testid="flash-view">
      <EmptyState icon={<FlashIcon size={32} />} title="No board to flash" testId="flash-empty">
        <p>Plug in an ESP32 over USB to install MicroPython on it or update its firmware.</p>
      </EmptyState>
    </div>
  );
}
