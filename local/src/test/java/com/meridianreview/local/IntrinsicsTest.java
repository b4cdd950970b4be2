package com.meridianreview.local;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Every intrinsic function the runner resolves, fed as YAML through {@link TemplateYaml} and
 * {@link SamApplication#load} (short tags, long forms, the runner's own resource names and pseudo
 * parameters). Expected values are those CloudFormation documents for each function; where the
 * documentation gives an example, the example is used as it stands.
 */
class IntrinsicsTest {

    /**
     * The template around each probe. Probe is a table, so its properties come back resolved by
     * {@link Intrinsics#resolve}; a failure names the resource, Probe.
     */
    private static final String TEMPLATE = """
            AWSTemplateFormatVersion: "2010-09-09"
            Parameters:
              Stage:
                Type: String
                Default: prod
              Attribute:
                Type: String
                Default: StreamArn
            Mappings:
              RegionMap:
                us-east-1:
                  Ami: ami-0east
                  Zones: [us-east-1a, us-east-1b]
                eu-west-1:
                  Ami: ami-0west
              Indexes:
                Second:
                  Value: 1
            Conditions:
              IsProd: !Equals [!Ref Stage, prod]
              IsDev: !Equals [dev, !Ref Stage]
              NotDev: !Not [!Condition IsDev]
              ProdAndNotDev: !And [!Condition IsProd, !Condition NotDev, !Equals [!Ref "AWS::Region", us-east-1]]
              DevOrTest: !Or [!Condition IsDev, !Equals [!Ref Stage, test]]
              InUs: !Equals [!Select [0, !Split ["-", !Ref "AWS::Region"]], us]
              ProdLongForm:
                Fn::And:
                  - Condition: IsProd
                  - Fn::Not: [{Condition: DevOrTest}]
              OneCondition: !And [!Condition IsProd]
              NotAList: !Or IsProd
            Resources:
              Content:
                Type: AWS::DynamoDB::Table
              Images:
                Type: AWS::S3::Bucket
              Queue:
                Type: AWS::SQS::Queue
              Nested:
                Type: AWS::CloudFormation::Stack
              Probe:
                Type: AWS::DynamoDB::Table
                Properties:
            """;

    @TempDir
    Path dir;

    // ---- Ref

    @Test
    void refNamesAParameterAResourceOrAPseudoParameter() throws IOException {
        Map<String, Object> resolved = properties("""
                Parameter: !Ref Stage
                LongForm:
                  Ref: Stage
                Table: !Ref Content
                Bucket: !Ref Images
                OtherResource: !Ref Queue
                Region: !Ref AWS::Region
                AccountId: !Ref AWS::AccountId
                StackName: !Ref AWS::StackName
                StackId: !Ref AWS::StackId
                Partition: !Ref AWS::Partition
                UrlSuffix: !Ref AWS::URLSuffix
                """);
        Map<String, Object> expected = new LinkedHashMap<>();
        expected.put("Parameter", "prod");
        expected.put("LongForm", "prod");
        // the runner's names: a table is the prefix and its logical id, a bucket the same in lower case
        expected.put("Table", "t-Content");
        expected.put("Bucket", "t-images");
        expected.put("OtherResource", "local-Queue");
        expected.put("Region", "us-east-1");
        expected.put("AccountId", "000000000000");
        expected.put("StackName", "meridian-local");
        expected.put("StackId", "arn:aws:cloudformation:us-east-1:000000000000:stack/meridian-local/local");
        expected.put("Partition", "aws");
        expected.put("UrlSuffix", "amazonaws.com");
        assertEquals(expected, resolved);

        assertEquals("test", value("!Ref Stage", Map.of("Stage", "test")), "a parameter given at start-up wins over its Default");
    }

    @Test
    void refToSomethingTheTemplateDoesNotDeclareFailsInOneLine() {
        assertEquals("Probe: !Ref Missing names no parameter or resource in the template", failure("!Ref Missing"));
    }

    // ---- Fn::GetAtt

    @Test
    void getAttTakesTheListAndTheDottedForms() throws IOException {
        Map<String, Object> resolved = properties("""
                ShortDotted: !GetAtt Content.Arn
                ShortList: !GetAtt [Images, RegionalDomainName]
                LongList:
                  Fn::GetAtt: [Content, StreamArn]
                LongDotted:
                  Fn::GetAtt: Images.DomainName
                AttributeFromRef: !GetAtt [Content, !Ref Attribute]
                BucketArn: !GetAtt Images.Arn
                OtherResource: !GetAtt Queue.Arn
                NoLocalMeaning: !GetAtt Queue.QueueName
                NestedOutput: !GetAtt Nested.Outputs.BucketName
                """);
        Map<String, Object> expected = new LinkedHashMap<>();
        expected.put("ShortDotted", "arn:aws:dynamodb:us-east-1:000000000000:table/t-Content");
        expected.put("ShortList", "t-images.s3.us-east-1.amazonaws.com");
        expected.put("LongList", "arn:aws:dynamodb:us-east-1:000000000000:table/t-Content/stream/local");
        expected.put("LongDotted", "t-images.s3.amazonaws.com");
        // CloudFormation lets the attribute name be a Ref to a parameter
        expected.put("AttributeFromRef", "arn:aws:dynamodb:us-east-1:000000000000:table/t-Content/stream/local");
        expected.put("BucketArn", "arn:aws:s3:::t-images");
        expected.put("OtherResource", "arn:aws:local:us-east-1:000000000000:Queue");
        // attributes the runner has no local value for resolve visibly; the short form splits at the first dot
        expected.put("NoLocalMeaning", "local:Queue.QueueName");
        expected.put("NestedOutput", "local:Nested.Outputs.BucketName");
        assertEquals(expected, resolved);
    }

    @Test
    void getAttOfAnUndeclaredResourceOrWithoutAnAttributeFailsInOneLine() {
        assertEquals("Probe: !GetAtt Missing.Arn names no resource in the template", failure("!GetAtt Missing.Arn"));
        assertEquals("Probe: !GetAtt Missing.Arn names no resource in the template", failure("!GetAtt [Missing, Arn]"));
        assertEquals("Probe: Fn::GetAtt needs Resource.Attribute, got [Content]", failure("!GetAtt Content"));
        assertEquals("Probe: Fn::GetAtt needs Resource.Attribute, got [Content, Arn, Extra]", failure("!GetAtt [Content, Arn, Extra]"));
    }

    // ---- Fn::Sub

    @Test
    void subReplacesParametersResourcesAttributesAndPseudoParameters() throws IOException {
        Map<String, Object> resolved = properties("""
                Names: !Sub "arn:${AWS::Partition}:s3:::${Images}/${Stage}/*"
                Attribute: !Sub "${Content.Arn}/index/ByListing"
                LongForm:
                  Fn::Sub: "${AWS::StackName}-images"
                NoVariables: !Sub "costs $5, {braces} and $ alone"
                Script: !Sub |
                  #!/bin/bash
                  echo ${AWS::Region}
                """);
        Map<String, Object> expected = new LinkedHashMap<>();
        expected.put("Names", "arn:aws:s3:::t-images/prod/*");
        expected.put("Attribute", "arn:aws:dynamodb:us-east-1:000000000000:table/t-Content/index/ByListing");
        expected.put("LongForm", "meridian-local-images");
        expected.put("NoVariables", "costs $5, {braces} and $ alone");
        expected.put("Script", "#!/bin/bash\necho us-east-1\n");
        assertEquals(expected, resolved);
    }

    @Test
    void subTakesAVariableMapWhoseValuesMayBeFunctions() throws IOException {
        Map<String, Object> resolved = properties("""
                Mapped: !Sub
                  - "https://${Domain}/${Stage}/${Table}"
                  - Domain: !Join [".", [www, example, org]]
                    Table: !Ref Content
                LongForm:
                  Fn::Sub:
                    - "${Greeting}, ${AWS::Region}"
                    - Greeting: hello
                """);
        assertEquals("https://www.example.org/prod/t-Content", resolved.get("Mapped"));
        assertEquals("hello, us-east-1", resolved.get("LongForm"));
    }

    @Test
    void subWritesDollarBraceLiterallyAfterAnExclamationMark() throws IOException {
        Map<String, Object> resolved = properties("""
                Literal: !Sub "${!Literal}"
                Mixed: !Sub "${!Stage} is written as is, ${Stage} is replaced"
                InAMap: !Sub ["${!Name} and ${Name}", {Name: value}]
                ValueIsNotParsedAgain: !Sub ["${Raw}", {Raw: "${!NotALiteral}"}]
                """);
        assertEquals("${Literal}", resolved.get("Literal"));
        assertEquals("${Stage} is written as is, prod is replaced", resolved.get("Mixed"));
        assertEquals("${Name} and value", resolved.get("InAMap"));
        // only the template's string is read for ${! escapes; a substituted value is taken as it is
        assertEquals("${!NotALiteral}", resolved.get("ValueIsNotParsedAgain"));
    }

    @Test
    void subOfAnUndeclaredNameFailsInOneLine() {
        assertEquals("Probe: !Ref Missing names no parameter or resource in the template", failure("!Sub \"x-${Missing}\""));
        assertEquals("Probe: !GetAtt Missing.Arn names no resource in the template", failure("!Sub \"${Missing.Arn}/*\""));
    }

    // ---- Fn::Join

    @Test
    void joinPutsTheDelimiterBetweenValuesOnly() throws IOException {
        Map<String, Object> resolved = properties("""
                Simple: !Join [":", [a, b, c]]
                WithRefs: !Join
                  - ""
                  - - "arn:"
                    - !Ref AWS::Partition
                    - ":s3:::elasticbeanstalk-*-"
                    - !Ref AWS::AccountId
                LongForm:
                  Fn::Join: ["/", [!Ref Stage, !GetAtt Images.Arn]]
                FromAFunction: !Join ["/", !Split [",", "a,b,c"]]
                NonStringScalars: !Join ["-", [1, 2.5, true]]
                Empty: !Join [",", []]
                One: !Join [",", [only]]
                WithoutAnElement: !Join [",", [a, !If [IsDev, b, !Ref AWS::NoValue], c]]
                """);
        Map<String, Object> expected = new LinkedHashMap<>();
        expected.put("Simple", "a:b:c");
        expected.put("WithRefs", "arn:aws:s3:::elasticbeanstalk-*-000000000000");
        expected.put("LongForm", "prod/arn:aws:s3:::t-images");
        expected.put("FromAFunction", "a/b/c");
        // YAML numbers and booleans join as the text they were written with
        expected.put("NonStringScalars", "1-2.5-true");
        expected.put("Empty", "");
        expected.put("One", "only");
        // an element that resolves to AWS::NoValue is left out of the list
        expected.put("WithoutAnElement", "a,c");
        assertEquals(expected, resolved);
    }

    @Test
    void joinOfSomethingOtherThanAListOfTextFailsInOneLine() {
        assertEquals("Probe: Fn::Join joins text values, got [b, c]", failure("!Join [\",\", [a, [b, c]]]"));
        assertEquals("Probe: Fn::Join joins text values, got {Key=value}", failure("!Join [\",\", [a, {Key: value}]]"));
        assertEquals("Probe: Fn::Join needs a list of values, got prod", failure("!Join [\",\", !Ref Stage]"));
        assertEquals("Probe: Fn::Join needs a list of 2", failure("!Join [\",\"]"));
        assertEquals("Probe: Fn::Join needs a list of 2", failure("!Join \"a,b\""));
    }

    // ---- Fn::Select

    @Test
    void selectReturnsTheElementAtAZeroBasedIndex() throws IOException {
        Map<String, Object> resolved = properties("""
                Documented: !Select ["1", [apples, grapes, oranges, mangoes]]
                NumberIndex: !Select [0, [apples, grapes, oranges, mangoes]]
                Last: !Select [3, [apples, grapes, oranges, mangoes]]
                FromSplit: !Select [2, !Split ["|", "a|b|c"]]
                FromMapping: !Select [1, !FindInMap [RegionMap, !Ref "AWS::Region", Zones]]
                IndexFromRef: !Select [!FindInMap [Indexes, Second, Value], [x, y]]
                LongForm:
                  Fn::Select: [1, [x, y]]
                """);
        Map<String, Object> expected = new LinkedHashMap<>();
        expected.put("Documented", "grapes");
        expected.put("NumberIndex", "apples");
        expected.put("Last", "mangoes");
        expected.put("FromSplit", "c");
        expected.put("FromMapping", "us-east-1b");
        expected.put("IndexFromRef", "y");
        expected.put("LongForm", "y");
        assertEquals(expected, resolved);
    }

    @Test
    void selectOutsideTheListFailsInOneLine() {
        // CloudFormation: an index outside the list is a stack error
        assertEquals("Probe: Fn::Select index 4 is not within the list [apples, grapes, oranges, mangoes]",
                failure("!Select [4, [apples, grapes, oranges, mangoes]]"));
        assertEquals("Probe: Fn::Select index -1 is not within the list [a, b]", failure("!Select [-1, [a, b]]"));
        assertEquals("Probe: Fn::Select index first is not within the list [a, b]", failure("!Select [first, [a, b]]"));
        assertEquals("Probe: Fn::Select index 0 is not within the list []", failure("!Select [0, []]"));
        assertEquals("Probe: Fn::Select needs a list of values, got prod", failure("!Select [0, !Ref Stage]"));
        assertEquals("Probe: Fn::Select needs a list of 2", failure("!Select [0]"));
    }

    // ---- Fn::Split

    @Test
    void splitKeepsEmptyValuesAndTakesTheDelimiterLiterally() throws IOException {
        Map<String, Object> resolved = properties("""
                Simple: !Split ["|", "a|b|c"]
                EmptyValues: !Split ["|", "a||c|"]
                RegexCharacter: !Split [".", "www.example.org"]
                LongerDelimiter: !Split [", ", "a, b,c"]
                NoDelimiter: !Split [",", "whole"]
                FromAFunction: !Split [":", !GetAtt Content.Arn]
                LongForm:
                  Fn::Split: ["-", !Sub "${Stage}-blue"]
                """);
        Map<String, Object> expected = new LinkedHashMap<>();
        expected.put("Simple", List.of("a", "b", "c"));
        expected.put("EmptyValues", List.of("a", "", "c", ""));
        expected.put("RegexCharacter", List.of("www", "example", "org"));
        expected.put("LongerDelimiter", List.of("a", "b,c"));
        expected.put("NoDelimiter", List.of("whole"));
        expected.put("FromAFunction", List.of("arn", "aws", "dynamodb", "us-east-1", "000000000000", "table/t-Content"));
        expected.put("LongForm", List.of("prod", "blue"));
        assertEquals(expected, resolved);
        assertEquals("Probe: Fn::Split needs a list of 2", failure("!Split \"a,b\""));
    }

    // ---- Fn::If and AWS::NoValue

    @Test
    void ifReturnsTheBranchItsConditionChooses() throws IOException {
        Map<String, Object> resolved = properties("""
                Chosen: !If [IsProd, on-prod, elsewhere]
                NotChosen: !If [IsDev, on-dev, elsewhere]
                Structured: !If [IsProd, {Enabled: true, Names: [!Ref Content]}, [unused]]
                Nested: !If [IsDev, dev, !If [ProdAndNotDev, prod-in-us-east-1, other]]
                LongForm:
                  Fn::If: [IsProd, !Ref Images, !Ref Content]
                """);
        Map<String, Object> expected = new LinkedHashMap<>();
        expected.put("Chosen", "on-prod");
        expected.put("NotChosen", "elsewhere");
        expected.put("Structured", Map.of("Enabled", true, "Names", List.of("t-Content")));
        expected.put("Nested", "prod-in-us-east-1");
        expected.put("LongForm", "t-images");
        assertEquals(expected, resolved);
    }

    @Test
    void aPropertyOrListElementThatResolvesToNoValueIsRemoved() throws IOException {
        Map<String, Object> resolved = properties("""
                Kept: kept
                Removed: !If [IsDev, dev-only, !Ref AWS::NoValue]
                Aliases: !If [IsDev, [dev.example.org], !Ref AWS::NoValue]
                List: [first, !If [IsDev, dev-only, !Ref AWS::NoValue], last]
                Settings:
                  Removed: !Ref AWS::NoValue
                  Kept: !If [IsProd, !Ref AWS::Region, !Ref AWS::NoValue]
                """);
        Map<String, Object> expected = new LinkedHashMap<>();
        expected.put("Kept", "kept");
        expected.put("List", List.of("first", "last"));
        expected.put("Settings", Map.of("Kept", "us-east-1"));
        assertEquals(expected, resolved);
    }

    @Test
    void ifWithAnUndeclaredConditionOrWithoutBothBranchesFailsInOneLine() {
        assertEquals("Probe: no condition named IsStaging", failure("!If [IsStaging, a, b]"));
        assertEquals("Probe: Fn::If needs a list of 3", failure("!If [IsProd, a]"));
    }

    // ---- Conditions: Fn::Equals, Fn::Not, Fn::And, Fn::Or and Condition references

    private static final String CONDITION_PROBES = """
            IsProd: !If [IsProd, T, F]
            IsDev: !If [IsDev, T, F]
            NotDev: !If [NotDev, T, F]
            ProdAndNotDev: !If [ProdAndNotDev, T, F]
            DevOrTest: !If [DevOrTest, T, F]
            InUs: !If [InUs, T, F]
            ProdLongForm: !If [ProdLongForm, T, F]
            """;

    @Test
    void conditionsCombineEqualsNotAndOrAndReferencesToOtherConditions() throws IOException {
        assertEquals(conditions("T", "F", "T", "T", "F", "T", "T"), properties(CONDITION_PROBES, Map.of()));
        assertEquals(conditions("F", "T", "F", "F", "T", "T", "F"), properties(CONDITION_PROBES, Map.of("Stage", "dev")));
        assertEquals(conditions("F", "F", "T", "F", "T", "T", "F"), properties(CONDITION_PROBES, Map.of("Stage", "test")));
    }

    @Test
    void conditionFunctionsWithTheWrongArgumentsFailInOneLine() {
        // CloudFormation: Fn::And and Fn::Or take from 2 to 10 conditions, Fn::Not exactly one
        assertEquals("Probe: Fn::And needs a list of 2", failure("!If [OneCondition, a, b]"));
        assertEquals("Probe: Fn::Or needs a list of 2", failure("!If [NotAList, a, b]"));
        assertEquals("Probe: Fn::Not needs a list of 1", failure("!Not []"));
        assertEquals("Probe: Fn::Equals needs a list of 2", failure("!Equals [a]"));
        assertEquals("Probe: no condition named Missing", failure("!Not [!Condition Missing]"));
    }

    // ---- Fn::FindInMap

    @Test
    void findInMapLooksUpTwoLevelsOfAMapping() throws IOException {
        Map<String, Object> resolved = properties("""
                ByRegion: !FindInMap [RegionMap, !Ref "AWS::Region", Ami]
                Literal: !FindInMap [RegionMap, eu-west-1, Ami]
                AList: !FindInMap [RegionMap, us-east-1, Zones]
                LongForm:
                  Fn::FindInMap: [RegionMap, !Select [0, [eu-west-1]], Ami]
                """);
        Map<String, Object> expected = new LinkedHashMap<>();
        expected.put("ByRegion", "ami-0east");
        expected.put("Literal", "ami-0west");
        expected.put("AList", List.of("us-east-1a", "us-east-1b"));
        expected.put("LongForm", "ami-0west");
        assertEquals(expected, resolved);
    }

    @Test
    void findInMapWithAMissingKeyFailsInOneLineNamingTheKeysLookedUp() {
        assertEquals("Probe: Fn::FindInMap found nothing for [RegionMap, us-east-1, Kernel]", failure("!FindInMap [RegionMap, !Ref \"AWS::Region\", Kernel]"));
        assertEquals("Probe: Fn::FindInMap found nothing for [RegionMap, ap-south-1, Ami]", failure("!FindInMap [RegionMap, ap-south-1, Ami]"));
        assertEquals("Probe: Fn::FindInMap found nothing for [Regions, us-east-1, Ami]", failure("!FindInMap [Regions, us-east-1, Ami]"));
        assertEquals("Probe: Fn::FindInMap needs a list of 3", failure("!FindInMap [RegionMap, us-east-1]"));
    }

    // ---- Fn::Base64

    @Test
    void base64EncodesTheUtf8TextOfItsArgument() throws IOException {
        Map<String, Object> resolved = properties("""
                Documented:
                  Fn::Base64: AWS CloudFormation
                ShortOverLong: !Base64
                  Fn::Sub: "stage=${Stage}"
                LongOverShort:
                  Fn::Base64: !Sub "stage=${Stage}"
                NotAscii: !Base64 "café"
                Script:
                  Fn::Base64: !Sub |
                    #!/bin/bash
                    echo ${AWS::Region}
                """);
        Map<String, Object> expected = new LinkedHashMap<>();
        expected.put("Documented", "QVdTIENsb3VkRm9ybWF0aW9u");
        expected.put("ShortOverLong", "c3RhZ2U9cHJvZA==");
        expected.put("LongOverShort", "c3RhZ2U9cHJvZA==");
        expected.put("NotAscii", "Y2Fmw6k=");
        expected.put("Script", "IyEvYmluL2Jhc2gKZWNobyB1cy1lYXN0LTEK");
        assertEquals(expected, resolved);
        assertEquals("Probe: expected a text value, got [a, b]", failure("!Base64 [a, b]"));
    }

    // ---- what the runner does not implement

    @Test
    void functionsTheRunnerDoesNotImplementFailInOneLine() {
        assertEquals("Probe: the local runner does not support Fn::GetAZs", failure("!GetAZs \"\""));
        assertEquals("Probe: the local runner does not support Fn::ImportValue", failure("!ImportValue SharedSubnets"));
        assertEquals("Probe: the local runner does not support Fn::Cidr", failure("!Cidr [10.0.0.0/16, 4, 8]"));
        assertEquals("Probe: the local runner does not support Fn::Length", failure("!Length [a, b]"));
        assertEquals("Probe: the local runner does not support Fn::Unknown", failure("{\"Fn::Unknown\": x}"));
    }

    // ---- where a failure says it happened, and text values

    @Test
    void aFunctionEnvironmentNeedsTextAndAFailureNamesTheVariable() throws IOException {
        Path template = dir.resolve("function.yaml");
        Files.writeString(template, """
                Parameters:
                  Stage:
                    Type: String
                    Default: prod
                Resources:
                  Fn:
                    Type: AWS::Serverless::Function
                    Properties:
                      Handler: example.Handler::handleRequest
                      CodeUri: example.jar
                      Environment:
                        Variables:
                          STAGE: !Sub "${Stage}-${AWS::Region}"
                          ABSENT: !Ref AWS::NoValue
                          LIST: example
                """);
        SamApplication.Function function = SamApplication.load(template, "t-", Map.of()).functions().get(0);
        assertEquals(Map.of("STAGE", "prod-us-east-1", "LIST", "example"), function.environment(), "AWS::NoValue leaves the variable out");

        Files.writeString(template, Files.readString(template).replace("LIST: example", "LIST: !Split [\",\", \"a,b\"]"));
        TemplateException failure = assertThrows(TemplateException.class, () -> SamApplication.load(template, "t-", Map.of()));
        assertEquals("Fn.Environment.LIST: expected a text value, got [a, b]", failure.getMessage());
    }

    // ---- TemplateYaml: the short tags become the long form

    @Test
    void shortTagsBecomeTheLongFormTheRestOfTheRunnerReads() throws IOException {
        Path file = dir.resolve("tags.yaml");
        Files.writeString(file, """
                Ref: !Ref Stage
                Condition: !Condition IsProd
                GetAttDotted: !GetAtt Nested.Outputs.Name
                GetAttList: !GetAtt [Content, Arn]
                Sub: !Sub ["${A}", {A: a}]
                Base64: !Base64 text
                Cidr: !Cidr [10.0.0.0/16, 4, 8]
                FindInMap: !FindInMap [M, K, V]
                GetAZs: !GetAZs ""
                ImportValue: !ImportValue Exported
                Join: !Join [",", [a]]
                Select: !Select [0, [a]]
                Split: !Split [",", "a"]
                Transform: !Transform {Name: Macro}
                And: !And [!Condition A, !Condition B]
                Equals: !Equals [a, b]
                If: !If [C, a, b]
                Not: !Not [!Condition C]
                Or: !Or [!Condition A, !Condition B]
                Length: !Length [a]
                ToJsonString: !ToJsonString {a: b}
                UnquotedDate: 2012-10-17
                """);
        Map<String, Object> read = TemplateYaml.read(file);
        Map<String, Object> expected = new LinkedHashMap<>();
        expected.put("Ref", Map.of("Ref", "Stage"));
        expected.put("Condition", Map.of("Condition", "IsProd"));
        expected.put("GetAttDotted", Map.of("Fn::GetAtt", List.of("Nested", "Outputs.Name")));
        expected.put("GetAttList", Map.of("Fn::GetAtt", List.of("Content", "Arn")));
        expected.put("Sub", Map.of("Fn::Sub", List.of("${A}", Map.of("A", "a"))));
        expected.put("Base64", Map.of("Fn::Base64", "text"));
        expected.put("Cidr", Map.of("Fn::Cidr", List.of("10.0.0.0/16", 4, 8)));
        expected.put("FindInMap", Map.of("Fn::FindInMap", List.of("M", "K", "V")));
        expected.put("GetAZs", Map.of("Fn::GetAZs", ""));
        expected.put("ImportValue", Map.of("Fn::ImportValue", "Exported"));
        expected.put("Join", Map.of("Fn::Join", List.of(",", List.of("a"))));
        expected.put("Select", Map.of("Fn::Select", List.of(0, List.of("a"))));
        expected.put("Split", Map.of("Fn::Split", List.of(",", "a")));
        expected.put("Transform", Map.of("Fn::Transform", Map.of("Name", "Macro")));
        expected.put("And", Map.of("Fn::And", List.of(Map.of("Condition", "A"), Map.of("Condition", "B"))));
        expected.put("Equals", Map.of("Fn::Equals", List.of("a", "b")));
        expected.put("If", Map.of("Fn::If", List.of("C", "a", "b")));
        expected.put("Not", Map.of("Fn::Not", List.of(Map.of("Condition", "C"))));
        expected.put("Or", Map.of("Fn::Or", List.of(Map.of("Condition", "A"), Map.of("Condition", "B"))));
        expected.put("Length", Map.of("Fn::Length", List.of("a")));
        expected.put("ToJsonString", Map.of("Fn::ToJsonString", Map.of("a", "b")));
        // CloudFormation reads an unquoted date (an IAM policy's Version) as the text it is
        expected.put("UnquotedDate", "2012-10-17");
        assertEquals(expected, read);
    }

    @Test
    void yamlThatCannotBeReadFailsInOneLineNamingTheFile() throws IOException {
        Path file = dir.resolve("broken.yaml");
        // CloudFormation's documentation calls two short tags on one value invalid YAML
        Files.writeString(file, "Resources:\n  Probe:\n    Value: !Base64 !Sub \"${Stage}\"\n");
        TemplateException failure = assertThrows(TemplateException.class, () -> TemplateYaml.read(file));
        assertFalse(failure.getMessage().contains("\n"), failure.getMessage());
        assertTrue(failure.getMessage().startsWith("template " + file + " is not valid YAML: "), failure.getMessage());

        Files.writeString(file, "- a list\n- not a template\n");
        assertEquals(file + " is not a template: its top level is not a mapping",
                assertThrows(TemplateException.class, () -> TemplateYaml.read(file)).getMessage());
    }

    // ---- helpers

    private static Map<String, Object> conditions(String... values) {
        List<String> names = List.of("IsProd", "IsDev", "NotDev", "ProdAndNotDev", "DevOrTest", "InUs", "ProdLongForm");
        Map<String, Object> expected = new LinkedHashMap<>();
        for (int i = 0; i < names.size(); i++) {
            expected.put(names.get(i), values[i]);
        }
        return expected;
    }

    private Map<String, Object> properties(String yaml) throws IOException {
        return properties(yaml, Map.of());
    }

    /** Loads the template with {@code yaml} as Probe's properties and returns them resolved. */
    private Map<String, Object> properties(String yaml, Map<String, String> parameters) throws IOException {
        Path template = dir.resolve("template.yaml");
        String indented = Arrays.stream(yaml.split("\n")).map(line -> "      " + line).reduce("", (a, b) -> a + b + "\n");
        Files.writeString(template, TEMPLATE + indented);
        return SamApplication.load(template, "t-", parameters).tables().stream()
                .filter(t -> t.logicalId().equals("Probe")).findFirst().orElseThrow().properties();
    }

    private Object value(String yaml, Map<String, String> parameters) throws IOException {
        return properties("Value: " + yaml, parameters).get("Value");
    }

    /** The message the template fails with when Probe's one property is {@code yaml}; it is one line. */
    private String failure(String yaml) {
        TemplateException failure = assertThrows(TemplateException.class, () -> value(yaml, Map.of()));
        assertFalse(failure.getMessage().contains("\n"), failure.getMessage());
        return failure.getMessage();
    }
}
