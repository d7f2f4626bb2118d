/** Every command the extension contributes; a test checks that package.json declares each of them. */
export const enum CommandId {
  RefreshTrails = 'cloudtrailLens.refreshTrails',
  ShowLog = 'cloudtrailLens.showLog',
  OpenAsEvents = 'cloudtrailLens.openAsEvents',
  OpenFiltered = 'cloudtrailLens.openFiltered',
  GoToEvent = 'cloudtrailLens.goToEvent',
  FilterEvents = 'cloudtrailLens.filterEvents',
  ExportCsv = 'cloudtrailLens.exportEventsCsv',
  ExportJson = 'cloudtrailLens.exportEventsJson',
}
