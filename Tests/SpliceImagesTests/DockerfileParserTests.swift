import SpliceImages
import Testing

/// The Dockerfile parser and word processing, as dockerd's legacy builder reads them.
@Suite struct DockerfileParserTests {
    @Test func continuationsCommentsAndFlags() throws {
        let file = try Dockerfile(parsing: """
            # a comment
            FROM bb AS builder

            RUN echo one \\
                # a comment inside the continuation
                two \\

                three
            copy --chown=1000:1000 --from=builder /a /b
            CMD ["sh", "-c", "echo hi"]
            """)
        #expect(file.instructions.map(\.keyword) == ["FROM", "RUN", "COPY", "CMD"])
        #expect(file.instructions.map(\.line) == [2, 4, 9, 10])
        #expect(file.instructions[1].arguments == "echo one     two     three")
        #expect(file.instructions[2].flags == ["chown": "1000:1000", "from": "builder"])
        #expect(file.instructions[2].arguments == "/a /b")
        #expect(file.instructions[3].jsonArguments == ["sh", "-c", "echo hi"])
        #expect(file.instructions[1].jsonArguments == nil)
    }

    @Test func escapeDirective() throws {
        let file = try Dockerfile(parsing: "# escape=`\nFROM bb\nRUN echo a `\n  b\nCOPY c:\\path\\ /x\n")
        #expect(file.escape == "`")
        #expect(file.instructions.count == 3)
        #expect(file.instructions[1].arguments == "echo a   b")
        #expect(file.instructions[2].arguments == "c:\\path\\ /x")
    }

    @Test func directiveOnlyAtTheTop() throws {
        let file = try Dockerfile(parsing: "FROM bb\n# escape=`\nRUN echo a \\\n b\n")
        #expect(file.escape == "\\")
        #expect(file.instructions[1].arguments == "echo a  b")
    }

    @Test func errorsNameTheLine() {
        #expect(throws: DockerfileError(line: 3, "unknown instruction: RUNN")) {
            try Dockerfile(parsing: "FROM bb\n\nRUNN echo\n")
        }
        #expect(throws: DockerfileError(line: 2, "WORKDIR requires at least one argument")) {
            try Dockerfile(parsing: "FROM bb\nWORKDIR\n")
        }
        #expect(throws: DockerfileError(line: 1, "invalid ESCAPE 'x'. Must be ` or \\")) {
            try Dockerfile(parsing: "# escape=x\nFROM bb\n")
        }
        let error = DockerfileError(line: 3, "unknown instruction: RUNN")
        #expect(error.description == "Dockerfile parse error line 3: unknown instruction: RUNN")
    }

    @Test func substitution() throws {
        let words = ShellWords(variables: ["A": "one", "EMPTY": "", "SPACE": "x y"])
        #expect(try words.words("$A ${A} ${A}b $Ab") == ["one", "one", "oneb"])
        #expect(try words.words("${MISSING:-fallback} ${EMPTY:-e} ${A:-no} ${A:+yes} ${MISSING:+no}")
                == ["fallback", "e", "one", "yes"])
        #expect(try words.words("${EMPTY-kept}x ${MISSING-d}") == ["x", "d"])
        #expect(try words.words("'$A' \"$A\" \\$A") == ["$A", "one", "$A"])
        #expect(try words.words("\"$SPACE\" $SPACE") == ["x y", "x", "y"])
        #expect(try words.word("a  \"b  c\"") == "a  b  c")
        #expect(throws: DockerfileLexError.self) { try words.words("\"open") }
        let backtick = ShellWords(escape: "`", variables: ["A": "one"])
        #expect(try backtick.words("`$A c:\\dir") == ["$A", "c:\\dir"])
    }

    @Test func execAndShellForms() throws {
        let file = try Dockerfile(parsing: """
            FROM bb
            RUN ["echo", "exec form"]
            RUN echo shell form
            ENTRYPOINT [ "a" , "b" ]
            CMD [not json
            """)
        #expect(file.instructions[1].jsonArguments == ["echo", "exec form"])
        #expect(file.instructions[2].jsonArguments == nil)
        #expect(file.instructions[3].jsonArguments == ["a", "b"])
        #expect(file.instructions[4].jsonArguments == nil)
    }
}
