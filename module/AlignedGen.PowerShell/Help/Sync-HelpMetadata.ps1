<#
.SYNOPSIS
    Rewrites the metadata of the module's MAML help (Help/*.xml) from the cmdlets themselves.

.DESCRIPTION
    The prose of each Help/<Verb-Noun>.xml is written by hand; what PowerShell shows in Get-Help -Parameter and in the
    syntax (type, required, position, pipeline input, wildcards, aliases, default parameter sets) must match the
    cmdlet. This script imports the built module and, for every help file: regenerates <command:syntax> (one
    syntaxItem per parameter set, common parameters left out) and sets the attributes and <dev:type> of each
    <command:parameters> entry. Descriptions, examples and links are kept; a parameter without an entry is reported.
    pester/Module.Tests.ps1 checks the result, so run this after changing a cmdlet's parameters:
        dotnet tool run pwsh -NoProfile -File module/AlignedGen.PowerShell/Help/Sync-HelpMetadata.ps1
#>
[CmdletBinding()]
param([string] $Manifest = (Join-Path $PSScriptRoot '..' '..' '..' 'AlignedGen.psd1'))
$ErrorActionPreference = 'Stop'
Import-Module $Manifest -Force
$ns = @{ maml = 'http://schemas.microsoft.com/maml/2004/10'; command = 'http://schemas.microsoft.com/maml/dev/command/2004/10'; dev = 'http://schemas.microsoft.com/maml/dev/2004/10' }
$common = [System.Management.Automation.PSCmdlet]::CommonParameters + [System.Management.Automation.PSCmdlet]::OptionalCommonParameters

function Get-ParameterFacts([System.Management.Automation.ParameterMetadata] $Parameter) {
    # What the help says about a parameter across its sets: required only when mandatory in every set, a position only when the same in every set.
    $sets = @($Parameter.ParameterSets.Values)
    $positions = @($sets | ForEach-Object Position | Sort-Object -Unique)
    $byValue = [bool]($sets | Where-Object ValueFromPipeline)
    $byName = [bool]($sets | Where-Object ValueFromPipelineByPropertyName)
    [pscustomobject]@{
        Required      = if (@($sets | Where-Object { -not $_.IsMandatory }).Count -eq 0) { 'true' } else { 'false' }
        Position      = if ($positions.Count -eq 1 -and $positions[0] -ge 0) { "$($positions[0])" } else { 'named' }
        PipelineInput = if ($byName -and $byValue) { 'True (ByPropertyName, ByValue)' } elseif ($byValue) { 'True (ByValue)' } elseif ($byName) { 'True (ByPropertyName)' } else { 'False' }
        Globbing      = if ($Parameter.Attributes | Where-Object { $_ -is [System.Management.Automation.SupportsWildcardsAttribute] }) { 'true' } else { 'false' }
        Aliases       = if ($Parameter.Aliases.Count -gt 0) { $Parameter.Aliases -join ', ' } else { 'none' }
        Type          = $Parameter.ParameterType
        IsSwitch      = $Parameter.SwitchParameter
    }
}

function Set-Facts([System.Xml.XmlElement] $Element, $Facts) {
    $Element.SetAttribute('required', $Facts.Required)
    $Element.SetAttribute('position', $Facts.Position)
    $Element.SetAttribute('pipelineInput', $Facts.PipelineInput)
    $Element.SetAttribute('globbing', $Facts.Globbing)
    $Element.SetAttribute('aliases', $Facts.Aliases)
}

function New-MamlElement([xml] $Document, [string] $Prefix, [string] $Name, [string] $Text) {
    $element = $Document.CreateElement($Prefix, $Name, $ns[$Prefix])
    if ($Text) { $element.InnerText = $Text }
    $element
}

foreach ($file in Get-ChildItem (Join-Path $PSScriptRoot '*.xml')) {
    $document = [xml]::new()
    $document.PreserveWhitespace = $true
    $document.Load($file.FullName)
    $manager = [System.Xml.XmlNamespaceManager]::new($document.NameTable)
    foreach ($key in $ns.Keys) { $manager.AddNamespace($key, $ns[$key]) }
    $name = $document.SelectSingleNode('/command:command/command:details/command:name', $manager).InnerText
    $command = Get-Command $name -Module AlignedGen
    $parameters = @($command.Parameters.Values | Where-Object { $_.Name -notin $common })
    # A cmdlet with dynamic parameters documents every registered strategy's parameters: keep those entries as written.
    $entries = $document.SelectNodes('/command:command/command:parameters/command:parameter', $manager)
    foreach ($entry in $entries) {
        $parameterName = $entry.SelectSingleNode('maml:name', $manager).InnerText
        $parameter = $parameters | Where-Object Name -EQ $parameterName
        if (-not $parameter -or $parameter.IsDynamic) { continue }
        $facts = Get-ParameterFacts $parameter
        Set-Facts $entry $facts
        $entry.SetAttribute('variableLength', $(if ($facts.Type.IsArray) { 'true' } else { 'false' }))
        $value = $entry.SelectSingleNode('command:parameterValue', $manager)
        if ($facts.IsSwitch) { if ($value) { $null = $entry.RemoveChild($value) } }
        elseif ($value) { $value.InnerText = $facts.Type.Name }
        $type = $entry.SelectSingleNode('dev:type/maml:name', $manager)
        if ($type) { $type.InnerText = $facts.Type.FullName }
    }
    foreach ($parameter in $parameters | Where-Object { -not $_.IsDynamic }) {
        if (-not $document.SelectSingleNode("/command:command/command:parameters/command:parameter[maml:name='$($parameter.Name)']", $manager)) {
            Write-Warning "$name -$($parameter.Name) has no entry in $($file.Name); write its description."
        }
    }
    # The syntax: one item per parameter set, the default set first, positional parameters first. A cmdlet with
    # dynamic parameters (Invoke-RewardGuidedDecode's strategies) keeps its hand-written syntax, which lists them.
    $syntax = $document.SelectSingleNode('/command:command/command:syntax', $manager)
    if ([System.Management.Automation.IDynamicParameters].IsAssignableFrom($command.ImplementingType)) { $syntax = $null }
    if ($syntax) {
    $indent = "`n    "
    $syntax.RemoveAll()
    $sets = @($command.ParameterSets | Sort-Object { -not $_.IsDefault })
    foreach ($set in $sets) {
        $item = New-MamlElement $document command syntaxItem
        $null = $item.AppendChild($document.CreateTextNode("$indent  "))
        $null = $item.AppendChild((New-MamlElement $document maml name $name))
        $ordered = @($set.Parameters | Where-Object { $_.Name -notin $common -and -not $_.IsDynamic } |
            Sort-Object @{ e = { if ($_.Position -ge 0) { $_.Position } else { [int]::MaxValue } } })
        foreach ($p in $ordered) {
            $facts = Get-ParameterFacts $command.Parameters[$p.Name]
            $facts.Required = if ($p.IsMandatory) { 'true' } else { 'false' }
            $facts.Position = if ($p.Position -ge 0) { "$($p.Position)" } else { 'named' }
            $element = New-MamlElement $document command parameter
            Set-Facts $element $facts
            $null = $element.AppendChild($document.CreateTextNode("$indent    "))
            $null = $element.AppendChild((New-MamlElement $document maml name $p.Name))
            if (-not $facts.IsSwitch) {
                $null = $element.AppendChild($document.CreateTextNode("$indent    "))
                $value = New-MamlElement $document command parameterValue $facts.Type.Name
                $value.SetAttribute('required', 'true')
                $null = $element.AppendChild($value)
            }
            $null = $element.AppendChild($document.CreateTextNode("$indent  "))
            $null = $item.AppendChild($document.CreateTextNode("$indent  "))
            $null = $item.AppendChild($element)
        }
        $null = $item.AppendChild($document.CreateTextNode($indent))
        $null = $syntax.AppendChild($document.CreateTextNode($indent))
        $null = $syntax.AppendChild($item)
    }
    $null = $syntax.AppendChild($document.CreateTextNode("`n  "))
    }
    $settings = [System.Xml.XmlWriterSettings]@{ OmitXmlDeclaration = $true; Encoding = [System.Text.UTF8Encoding]::new($false) }
    $writer = [System.Xml.XmlWriter]::Create($file.FullName, $settings)
    try { $document.Save($writer) } finally { $writer.Dispose() }
    # Exactly one newline at the end, however many whitespace nodes the document kept.
    [System.IO.File]::WriteAllText($file.FullName, [System.IO.File]::ReadAllText($file.FullName).TrimEnd() + "`n")
    Write-Verbose "updated $($file.Name)"
}
