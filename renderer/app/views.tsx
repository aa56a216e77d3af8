/** The side bar's views, in activity bar order. Adding a view means adding a row here. */
import type { ComponentType } from 'react';
import { FilesView } from '../features/files/FilesView.js';
import { FlashView } from '../features/flash/FlashView.js';
import { MqttView } from '../features/mqtt/MqttView.js';
import { FilesIcon, FlashIcon, MqttIcon, type IconProps } from '../shared/icons/Icons.js';

export type ViewId = 'files' | 'mqtt' | 'flash';

export interface ViewDescriptor {
  id: ViewId;
  /** Tooltip, aria-label and side bar heading. */
  title: string;
  icon: ComponentType<IconProps>;
  component: ComponentType;
}

export const VIEWS: readonly ViewDescriptor[] = [
  { id: 'files', title: 'Files', icon: FilesIcon, component: FilesView },
  { id: 'mqtt', title: 'MQTT', icon: MqttIcon, component: MqttView },
  { id: 'flash', title: 'Flash', icon: FlashIcon, component: FlashView },
];

/** The view a first start opens. */
export const DEFAULT_VIEW: ViewId = 'files';

export const isViewId = (value: unknown): value is ViewId => VIEWS.some((v) => v.id === value);
