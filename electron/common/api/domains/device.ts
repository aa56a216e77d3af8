/**
 * The new-device wizard's one host call: a template's files and packages put
 * on the connected board (common/templates). The wizard resets the board and
 * sets up the MQTT side (broker, explorer, dashboard) with the other domains.
 */
import { z } from 'zod';
import { TEMPLATES, type DeviceAnswers, type TemplateId } from '../../templates/deviceTemplates.js';
import { InstalledPackageDto } from './packages.js';
import { JobId, call, type CallTable, type EventTable, type Mirrors, type SameType } from './schema.js';

const TEMPLATE_IDS = TEMPLATES.map((t) => t.id) as [TemplateId, ...TemplateId[]];

export const DeviceAnswersDto = z
  .object({
    template: z.enum(TEMPLATE_IDS),
    wifi: z.object({ ssid: z.string().min(1).max(32), password: z.string().max(64) }).strict().optional(),
    broker: z
      .object({ host: z.string().min(1).max(253), port: z.number().int().min(1).max(65_535), user: z.string().max(1024).optional(), password: z.string().max(1024).optional() })
      .strict()
      .optional(),
    clientId: z.string().max(64),
    topicPrefix: z.string().max(200),
    pin: z.number().int().min(0).max(48),
    intervalS: z.number().min(0.1).max(86_400),
  })
  .strict();
export type DeviceAnswersIsTheTemplates = Mirrors<SameType<z.infer<typeof DeviceAnswersDto>, DeviceAnswers>>;

export const DeviceSetupDto = z.object({
  written: z.array(z.string()),
  packages: z.array(InstalledPackageDto.omit({ files: true })),
  topics: z.object({ command: z.string().optional(), state: z.string().optional(), publish: z.string().optional() }),
  notes: z.array(z.string()),
});
export type DeviceSetupDto = z.infer<typeof DeviceSetupDto>;

export const deviceCalls = {
  /** Installs the template's packages (from `index`, or the default index) and writes config.json, boot.py and main.py. */
  'device.setup': call(z.object({ answers: DeviceAnswersDto, index: z.string().url().max(2000).optional(), jobId: JobId.optional() }).strict(), DeviceSetupDto),
} as const satisfies CallTable;

export const deviceEvents = {} as const satisfies EventTable;
