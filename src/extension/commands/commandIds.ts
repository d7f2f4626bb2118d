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
  SelectProfile = 'cloudtrailLens.selectProfile',
  SelectRegions = 'cloudtrailLens.selectRegions',
  SearchEvents = 'cloudtrailLens.searchEvents',
  OpenS3Object = 'cloudtrailLens.openS3Object',
  OpenLocalObject = 'cloudtrailLens.openLocalObject',
  OpenRecentEvents = 'cloudtrailLens.openRecentEvents',
  LoadMore = 'cloudtrailLens.loadMore',
  RetryNode = 'cloudtrailLens.retryNode',
}
