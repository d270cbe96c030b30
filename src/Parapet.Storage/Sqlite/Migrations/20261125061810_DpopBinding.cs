using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Parapet.Storage.Sqlite.Migrations
{
    /// <inheritdoc />
    public partial class DpopBinding : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<string>(
                name: "DpopJkt",
                table: "refresh_tokens",
                type: "TEXT",
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "DpopJkt",
                table: "authorization_codes",
                type: "TEXT",
                nullable: true);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropColumn(
                name: "DpopJkt",
                table: "refresh_tokens");

            migrationBuilder.DropColumn(
                name: "DpopJkt",
                table: "authorization_codes");
        }
    }
}
