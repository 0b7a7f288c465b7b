@_exported import DockerModels
